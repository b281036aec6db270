//! The project's overlays on the vendored specs: the patches applied to a spec before it is
//! resolved (`patches:`), and the names the generator must use (`names:` for types, `setters:`
//! for operation inputs). See the comments at the top of each section of `spec/overlay.yml`.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::inputs::SetterNames;

/// The naming sections of an overlay.
#[derive(Debug, Default)]
pub struct Naming {
    /// The name the generator derives for a type → the Rust name it gets.
    pub types: BTreeMap<String, String>,
    /// `OperationId.wire_name` of an input → the Rust name of its field and setter.
    pub setters: SetterNames,
}

/// Reads the `names:` and `setters:` sections of the overlay file `path` (under `root`).
///
/// # Errors
/// The file cannot be read or parsed, or an entry is not a string → string mapping.
pub fn naming(root: &Path, path: &str) -> Result<Naming, String> {
    let text = std::fs::read_to_string(root.join(path)).map_err(|e| format!("{path}: {e}"))?;
    let overlay: Value = serde_yaml::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    Ok(Naming {
        types: section(&overlay, "names").map_err(|e| format!("{path}: {e}"))?,
        setters: section(&overlay, "setters").map_err(|e| format!("{path}: {e}"))?,
    })
}

/// A `key: value` section of strings (absent: empty).
fn section(overlay: &Value, name: &str) -> Result<BTreeMap<String, String>, String> {
    let Some(entries) = overlay.get(name) else {
        return Ok(BTreeMap::new());
    };
    let entries = entries
        .as_object()
        .ok_or_else(|| format!("`{name}` is not a mapping"))?;
    entries
        .iter()
        .map(|(k, v)| match v.as_str() {
            Some(v) => Ok((k.clone(), v.to_owned())),
            None => Err(format!("`{name}.{k}` is not a string")),
        })
        .collect()
}
