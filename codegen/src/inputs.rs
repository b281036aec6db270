//! The Rust names of an operation's inputs: the struct field, constructor argument or setter of
//! each path parameter, query parameter and body member.
//!
//! A setter is an inherent method, so one named like a method of a trait the operation
//! implements would shadow that method for every caller (`GetUserList::query(..)` once hid
//! `Endpoint::query`). The generator therefore refuses, instead of renaming on its own, any input
//! whose name is a method of `Endpoint`, `Paginated`, the constructor, or a method of the std
//! traits operations derive or get for free; and any two inputs of one operation that would get
//! the same name. The overlay's `setters:` section gives such an input its name.

use std::collections::BTreeMap;
#[cfg(test)]
use std::collections::BTreeSet;

use crate::ir::{Body, Op};
use crate::naming::field_name;

/// Method names an input may not take, with where each comes from.
pub const TAKEN_BY_TRAITS: &[(&str, &str)] = &[
    ("new", "the constructor"),
    ("encode_path", "clerk_backend_core::Endpoint"),
    ("encode_query", "clerk_backend_core::Endpoint"),
    ("encode_body", "clerk_backend_core::Endpoint"),
    ("to_http", "clerk_backend_core::Endpoint"),
    ("parse", "clerk_backend_core::Endpoint"),
    ("parse_raw", "clerk_backend_core::Endpoint"),
    ("into_page", "clerk_backend_core::Paginated"),
    ("page_limit", "clerk_backend_core::Paginated"),
    ("set_page_limit", "clerk_backend_core::Paginated"),
    ("page_offset", "clerk_backend_core::Paginated"),
    ("set_page_offset", "clerk_backend_core::Paginated"),
    ("cursor_supported", "clerk_backend_core::Paginated"),
    ("item_cursor", "clerk_backend_core::Paginated"),
    ("set_cursor", "clerk_backend_core::Paginated"),
    ("clone", "Clone (derived)"),
    ("clone_from", "Clone (derived)"),
    ("fmt", "Debug (derived)"),
    ("eq", "PartialEq (derived)"),
    ("ne", "PartialEq (derived)"),
    ("default", "Default (derived)"),
    ("into", "Into (blanket)"),
    ("from", "From (blanket)"),
    ("try_into", "TryInto (blanket)"),
    ("try_from", "TryFrom (blanket)"),
    ("to_owned", "ToOwned (blanket)"),
    ("clone_into", "ToOwned (blanket)"),
    ("borrow", "Borrow (blanket)"),
    ("borrow_mut", "BorrowMut (blanket)"),
    ("type_id", "Any (blanket)"),
];

/// Overlay renames of inputs: `OperationId.wire_name` → Rust name.
pub type SetterNames = BTreeMap<String, String>;

/// Gives every input of `op` its Rust name (the overlay's, else the one derived from the wire
/// name), and refuses names that shadow a trait method or repeat within the operation.
///
/// # Errors
/// A message naming the operation, the input, the clash, and the overlay entry that resolves it.
pub fn assign_names(op: &mut Op, overlay: &SetterNames) -> Result<(), String> {
    let mut names = Names {
        op: op.id.clone(),
        overlay,
        taken: BTreeMap::new(),
    };
    for p in op.path_params.iter_mut().chain(op.query.iter_mut()) {
        p.rust = names.take(&p.wire, true)?;
    }
    if let Body::Object(fields) | Body::Multipart(fields) = &mut op.body {
        for f in fields.iter_mut() {
            f.rust = names.take(&f.wire, false)?;
            if f.nullable && !f.required {
                names.reserve(&format!("clear_{}", ident_tail(&f.rust)), &f.wire)?;
            }
        }
    }
    Ok(())
}

/// The identifier without its `r#`.
pub fn ident_tail(name: &str) -> &str {
    name.trim_start_matches("r#")
}

/// The names taken so far in one operation.
struct Names<'a> {
    op: String,
    overlay: &'a SetterNames,
    /// Name → the wire name of the input that has it.
    taken: BTreeMap<String, String>,
}

impl Names<'_> {
    /// The name of the input `wire`; `outside_body` for a path or query parameter, which is a
    /// field of the operation struct beside its `body`.
    fn take(&mut self, wire: &str, outside_body: bool) -> Result<String, String> {
        let key = format!("{}.{wire}", self.op);
        let name = match self.overlay.get(&key) {
            Some(chosen) => chosen.clone(),
            None => field_name(wire),
        };
        if outside_body && ident_tail(&name) == "body" {
            return Err(self.refuse(wire, &name, "the field that holds the operation's body"));
        }
        if let Some((_, source)) = TAKEN_BY_TRAITS
            .iter()
            .find(|(method, _)| *method == ident_tail(&name))
        {
            return Err(self.refuse(wire, &name, &format!("a method of {source}")));
        }
        self.reserve(&name, wire)?;
        Ok(name)
    }

    /// Records `name` for the input `wire`, refusing a name another input has.
    fn reserve(&mut self, name: &str, wire: &str) -> Result<(), String> {
        let tail = ident_tail(name).to_owned();
        if let Some(other) = self.taken.get(&tail) {
            let other = format!(
                "the input `{other}` (either may be renamed: `{}.{other}: <name>`)",
                self.op
            );
            return Err(self.refuse(wire, name, &other));
        }
        self.taken.insert(tail, wire.to_owned());
        Ok(())
    }

    fn refuse(&self, wire: &str, name: &str, clash: &str) -> String {
        format!(
            "{op}: the input `{wire}` would be named `{name}`, which is taken by {clash}.\n\
             Give it another name in spec/overlay.yml:\n\
             setters:\n  {op}.{wire}: <name>",
            op = self.op
        )
    }
}

/// The names in [`TAKEN_BY_TRAITS`] that come from one trait.
#[cfg(test)]
fn listed(source: &str) -> BTreeSet<&'static str> {
    TAKEN_BY_TRAITS
        .iter()
        .filter(|(_, s)| *s == source)
        .map(|(m, _)| *m)
        .collect()
}

/// The methods a trait declares in core's source (`fn name(` lines inside `pub trait Name`).
#[cfg(test)]
fn declared(file: &str, trait_name: &str) -> BTreeSet<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let start = text
        .find(&format!("pub trait {trait_name}"))
        .unwrap_or(text.len());
    let body = &text[start..];
    let body = &body[..body.find("\n}\n").unwrap_or(body.len())];
    body.lines()
        .filter_map(|l| l.trim().strip_prefix("fn "))
        .filter_map(|l| l.split(['(', '<']).next())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// One `GET /things` operation whose only query parameter is `wire`.
    fn op_with_query(wire: &str) -> Op {
        let spec = json!({
            "paths": {},
            "components": {},
        });
        let op = json!({
            "operationId": "ListThings",
            "tags": ["Things"],
            "parameters": [{"name": wire, "in": "query", "schema": {"type": "string"}}],
            "responses": {"204": {"description": "none"}},
        });
        let mut resolver = crate::resolve::Resolver::new(&spec);
        resolver.operation("/things", "get", &op).expect("resolves")
    }

    #[test]
    fn a_setter_named_like_a_trait_method_is_refused_with_the_overlay_entry_to_add() {
        for wire in [
            "parse",
            "encode_query",
            "into_page",
            "clone",
            "fmt",
            "default",
            "new",
        ] {
            let mut op = op_with_query(wire);
            let err = assign_names(&mut op, &SetterNames::new()).expect_err(wire);
            assert!(err.contains(&format!("ListThings.{wire}: <name>")), "{err}");
        }
    }

    #[test]
    fn the_overlay_renames_a_refused_setter() {
        let mut op = op_with_query("parse");
        let overlay = SetterNames::from([("ListThings.parse".into(), "parse_mode".into())]);
        assign_names(&mut op, &overlay).expect("renamed");
        assert_eq!(op.query[0].rust, "parse_mode");
        // An overlay name is checked like a derived one.
        let overlay = SetterNames::from([("ListThings.parse".into(), "to_http".into())]);
        assert!(assign_names(&mut op_with_query("parse"), &overlay).is_err());
    }

    #[test]
    fn ordinary_names_pass_and_query_no_longer_clashes() {
        for wire in ["query", "path", "limit", "user_id"] {
            let mut op = op_with_query(wire);
            assign_names(&mut op, &SetterNames::new()).expect(wire);
            assert_eq!(op.query[0].rust, wire);
        }
    }

    #[test]
    fn two_inputs_with_one_name_are_refused() {
        let mut op = op_with_query("frontendApi");
        let mut second = op.query[0].clone();
        second.wire = "frontend_api".into();
        op.query.push(second);
        let err = assign_names(&mut op, &SetterNames::new()).expect_err("clash");
        assert!(err.contains("ListThings.frontend_api: <name>"), "{err}");
    }

    /// The list follows core: every method of `Endpoint` and `Paginated` is in it, and nothing
    /// it attributes to them is gone from them.
    #[test]
    fn the_trait_methods_listed_are_the_ones_core_declares() {
        for (file, name) in [
            ("core/src/endpoint.rs", "Endpoint"),
            ("core/src/pagination.rs", "Paginated"),
        ] {
            let declared = declared(file, name);
            let listed: BTreeSet<String> = listed(&format!("clerk_backend_core::{name}"))
                .into_iter()
                .map(str::to_owned)
                .collect();
            assert!(
                !declared.is_empty(),
                "no methods found for {name} in {file}"
            );
            assert_eq!(declared, listed, "{name}");
        }
    }
}
