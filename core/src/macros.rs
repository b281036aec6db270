//! Declarative macros that the generated models use: open string enums and tagged unions.
//!
//! Both keep what the server sent when it is something this version of the crate does not know,
//! so a new enum value or a new union variant never breaks parsing of a whole response.

/// Declares a string enum with an `Unknown(String)` fallback that keeps the raw value.
///
/// The enum serializes to and deserializes from its wire string; `as_str` returns it.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* #[doc = concat!("`", $wire, "`")] $variant, )*
            /// A value this version of the crate does not know, kept as the server sent it.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Unknown(raw) => raw.as_str(),
                }
            }

            /// Reads a wire value; values this crate does not know become `Unknown`.
            pub fn from_wire(raw: &str) -> Self {
                match raw {
                    $( $wire => Self::$variant, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::default::Default for $name {
            fn default() -> Self {
                Self::Unknown(::std::string::String::new())
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(raw: &str) -> Self {
                Self::from_wire(raw)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                $crate::de::wire_str(d, Self::from_wire)
            }
        }
    };
}

/// Declares a union of object types told apart by a string tag field (`object` in Clerk's API).
///
/// A value whose tag is missing or unknown becomes `Unknown(serde_json::Value)`, keeping the
/// whole object. A known tag whose body does not decode is an error naming the inner JSON path.
///
/// From `serde_json` the value is not buffered: its raw text is captured (a scan, borrowed from
/// the input), the tag read from it, and the variant decoded from the same text, wherever the
/// tag stands in the object; only a failure decodes it again, with path tracking, to name the
/// path. Other deserializers hand over a buffered value, decoded the same way.
macro_rules! tagged_union {
    (
        $(#[$meta:meta])*
        pub enum $name:ident (tag = $tag:literal) {
            $( $(#[$vmeta:meta])* $variant:ident($ty:ty) = $wire:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* #[doc = concat!("Tagged `", $tag, ": \"", $wire, "\"`.")] $variant($ty), )*
            /// A variant this version of the crate does not know (or an object without a tag),
            /// kept whole as the server sent it.
            Unknown(::serde_json::Value),
        }

        impl $name {
            /// The tag value of this variant (`None` for an `Unknown` value without a string tag).
            pub fn tag(&self) -> ::std::option::Option<&str> {
                match self {
                    $( Self::$variant(_) => ::std::option::Option::Some($wire), )*
                    Self::Unknown(v) => v.get($tag).and_then(|t| t.as_str()),
                }
            }
        }

        impl ::std::default::Default for $name {
            fn default() -> Self {
                Self::Unknown(::serde_json::Value::Null)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $( Self::$variant(inner) => $crate::de::serialize_tagged(inner, $tag, $wire, s), )*
                    Self::Unknown(v) => ::serde::Serialize::serialize(v, s),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                $crate::de::tagged(d, |captured| {
                    match captured.tag($tag).as_deref() {
                        $( ::std::option::Option::Some($wire) => {
                            captured.variant::<$ty>().map(Self::$variant)
                        } )*
                        _ => captured.to_value().map(Self::Unknown),
                    }
                })
            }
        }
    };
}

/// An untagged union (a `oneOf` without a tag property): each variant is recognised by markers
/// (members holding a constant, members present), tried in order; an object no variant claims,
/// or anything that is not an object, is kept in `Unknown`.
macro_rules! untagged_union {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident($ty:ty) = [$($marker:expr),* $(,)?], )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant($ty), )*
            /// A value no variant of this version of the crate recognises, kept whole as the
            /// server sent it.
            Unknown(::serde_json::Value),
        }

        impl ::std::default::Default for $name {
            fn default() -> Self {
                Self::Unknown(::serde_json::Value::Null)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $( Self::$variant(inner) => ::serde::Serialize::serialize(inner, s), )*
                    Self::Unknown(v) => ::serde::Serialize::serialize(v, s),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                $crate::de::tagged(d, |captured| {
                    let value = captured.to_value()?;
                    $(
                        if $crate::de::Marker::all_hold(&[$($marker),*], &value) {
                            return $crate::de::variant::<$ty>(value).map(Self::$variant);
                        }
                    )*
                    ::std::result::Result::Ok(Self::Unknown(value))
                })
            }
        }
    };
}

pub(crate) use {string_enum, tagged_union, untagged_union};
