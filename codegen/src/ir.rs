//! The generator's intermediate form: Rust types and operations resolved from the spec.

/// A Rust type a field or an output has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    Str,
    Int,
    Num,
    Bool,
    /// Any JSON (`serde_json::Value`).
    Json,
    /// A free-form JSON object (`serde_json::Map<String, Value>`).
    Map,
    /// Uploaded bytes (multipart only).
    Binary,
    Vec(Box<Ty>),
    /// A list answered as a bare array or as `{data, total_count}` (`crate::Page`): the output
    /// of an operation with a `paginated` query parameter.
    Page(Box<Ty>),
    /// A generated struct, enum or union.
    Named(String),
}

impl Ty {
    /// The Rust spelling, with `models::` types referred to by path.
    pub fn rust(&self) -> String {
        self.rust_in(&models_path)
    }

    /// The Rust spelling, with each named type referred to by the path `path` gives it.
    pub fn rust_in(&self, path: &dyn Fn(&str) -> String) -> String {
        match self {
            Ty::Str => "String".into(),
            Ty::Int => "i64".into(),
            Ty::Num => "f64".into(),
            Ty::Bool => "bool".into(),
            Ty::Json => "serde_json::Value".into(),
            Ty::Map => "serde_json::Map<String, serde_json::Value>".into(),
            Ty::Binary => "crate::FilePart".into(),
            Ty::Vec(inner) => format!("Vec<{}>", inner.rust_in(path)),
            Ty::Page(inner) => format!("crate::Page<{}>", inner.rust_in(path)),
            Ty::Named(n) => path(n),
        }
    }

    /// Whether the type always has a `Default` the models may fall back to.
    pub fn is_collection(&self) -> bool {
        matches!(self, Ty::Vec(_) | Ty::Map)
    }
}

/// The path of a generated API model: `crate::models::Name`.
pub fn models_path(name: &str) -> String {
    format!("crate::models::{name}")
}

/// One property of an object schema.
#[derive(Debug, Clone)]
pub struct Field {
    pub wire: String,
    pub rust: String,
    pub ty: Ty,
    pub required: bool,
    /// The member's position in the schema's `required` list: constructors take required
    /// request members in this order.
    pub required_at: Option<usize>,
    pub nullable: bool,
    pub doc: String,
    pub deprecated: bool,
}

#[derive(Debug, Clone)]
pub enum DefKind {
    Struct(Vec<Field>),
    Enum(Vec<String>),
    Union {
        tag: String,
        variants: Vec<(String, String, String)>,
    },
    /// A `oneOf`/`anyOf` without a tag property: (variant, type, markers), in the order they
    /// are tried (most markers first). A value is the first variant whose markers all hold.
    Untagged {
        variants: Vec<(String, String, Vec<Marker>)>,
    },
}

impl DefKind {
    /// The types a value of this kind contains directly: field types, variant types.
    pub fn inner_types(&self) -> Vec<Ty> {
        match self {
            DefKind::Struct(fields) => fields.iter().map(|f| f.ty.clone()).collect(),
            DefKind::Union { variants, .. } => variants
                .iter()
                .map(|(_, t, _)| Ty::Named(t.clone()))
                .collect(),
            DefKind::Untagged { variants } => variants
                .iter()
                .map(|(_, t, _)| Ty::Named(t.clone()))
                .collect(),
            DefKind::Enum(_) => Vec::new(),
        }
    }
}

/// What a JSON object must show to be read as one variant of an untagged union.
#[derive(Debug, Clone, PartialEq)]
pub enum Marker {
    /// The member holds this constant (a single-valued enum in the spec: string or boolean).
    Equals(String, serde_json::Value),
    /// The member is present (required in this variant, unknown to a look-alike variant).
    Present(String),
}

/// A generated named type.
#[derive(Debug, Clone)]
pub struct Def {
    pub name: String,
    pub doc: String,
    pub kind: DefKind,
    /// The file (under `models/`) it is written to.
    pub file: String,
    /// Whether a request may contain it (then it stays constructible: no `non_exhaustive`).
    pub in_request: bool,
    /// Whether a response may contain it (then no field is `Option<Nullable<T>>`).
    pub in_response: bool,
    /// The cargo features (API groups) whose operations use it.
    pub features: std::collections::BTreeSet<String>,
}

/// A path or query parameter.
#[derive(Debug, Clone)]
pub struct Param {
    pub wire: String,
    pub rust: String,
    pub ty: Ty,
    pub required: bool,
    pub doc: String,
    pub deprecated: bool,
    /// `style: form, explode: false` arrays are comma-separated.
    pub csv: bool,
}

#[derive(Debug, Clone)]
pub enum Body {
    None,
    /// A JSON object body, its properties.
    Object(Vec<Field>),
    /// A JSON body that is a top-level array of this item type.
    Array(Ty),
    /// Any other JSON body (kept as a value).
    Value,
    /// A multipart/form-data body, its parts.
    Multipart(Vec<Field>),
}

impl Body {
    /// The body members an operation's constructor takes, in its order: the required members
    /// of a JSON object, or the file parts of a form, in the order of the schema's `required`
    /// list (an array, so its order is the spec's; the members of a JSON object are unordered),
    /// then any not listed there in wire order.
    pub fn constructor_members(&self) -> Vec<&Field> {
        let mut members: Vec<&Field> = match self {
            Body::Object(fields) => fields.iter().filter(|f| f.required).collect(),
            Body::Multipart(fields) => fields.iter().filter(|f| f.ty == Ty::Binary).collect(),
            Body::None | Body::Array(_) | Body::Value => Vec::new(),
        };
        members.sort_by_key(|f| f.required_at.unwrap_or(usize::MAX));
        members
    }
}

/// How a list response splits into items.
#[derive(Debug, Clone)]
pub enum PageShape {
    /// A bare JSON array of this item type.
    Bare(Ty),
    /// An object with the items under `field` and a `total_count`.
    Wrapped { field: String, item: Ty },
    /// A `crate::Page` of this item type (either of the two shapes above, told apart when the
    /// response is read).
    Page(Ty),
}

#[derive(Debug, Clone)]
pub struct Op {
    pub id: String,
    pub name: String,
    pub file: String,
    pub tag: String,
    pub module: String,
    pub method: String,
    pub path: String,
    pub summary: String,
    pub description: String,
    pub deprecated: bool,
    pub path_params: Vec<Param>,
    pub query: Vec<Param>,
    pub body: Body,
    /// `None` for an empty response.
    pub output: Option<Ty>,
    pub page: Option<PageShape>,
    /// The cursor query parameter, when the overlay says the operation supports one.
    pub cursor: Option<Cursor>,
    /// The `clerk_backend_core::SecretKeyKind` variants that may authorize the operation, in
    /// the order of its `security` (the spec's top-level `security` when it has none).
    pub keys: Vec<String>,
}

/// Cursor pagination declared by the overlay (`x-clerk-cursor`).
#[derive(Debug, Clone)]
pub struct Cursor {
    pub param: String,
    pub item_field: String,
    /// The `order_by` values (without `+`/`-`) the cursor works with; any other disables it.
    pub order_by: Vec<String>,
}
