//! Doc comments from spec descriptions, made safe for rustdoc (no accidental doc-tests).

/// Renders `text` as `///` lines at `indent`. Code fences become `text` blocks and indented
/// lines are un-indented, so no spec prose is ever compiled as a doc-test.
pub fn doc(text: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut in_fence = false;
    let mut last_blank = true;
    for raw in text.trim().lines() {
        let line = raw.trim();
        let line = if line.starts_with("```") {
            in_fence = !in_fence;
            if in_fence {
                "```text".to_owned()
            } else {
                "```".to_owned()
            }
        } else if in_fence {
            raw.trim_end().to_owned()
        } else {
            line.to_owned()
        };
        if line.is_empty() {
            if last_blank {
                continue;
            }
            last_blank = true;
            out.push_str(indent);
            out.push_str("///\n");
            continue;
        }
        last_blank = false;
        out.push_str(indent);
        out.push_str("/// ");
        out.push_str(&line);
        out.push('\n');
    }
    if in_fence {
        out.push_str(indent);
        out.push_str("/// ```\n");
    }
    while out.ends_with(&format!("{indent}///\n")) {
        out.truncate(out.len() - indent.len() - 4);
    }
    out
}
