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
            link_bare_urls(line)
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

/// Wraps each bare `http(s)://` URL of a prose line in `<…>`, so rustdoc renders it as a link
/// (and does not read `__` inside it as emphasis). URLs already in a Markdown link, in `<…>`,
/// in quotes or in inline code are left alone; a trailing `.`, `,`, `;`, `:`, `!` or `?`
/// stays outside.
fn link_bare_urls(line: &str) -> String {
    // `[text] (url)`, a Markdown link with a stray space (the spec has some), is made a link.
    let line = line.replace("] (http", "](http");
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line.as_str();
    while let Some(start) = rest
        .find("http://")
        .into_iter()
        .chain(rest.find("https://"))
        .min()
    {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let in_code = out.matches('`').count() % 2 == 1;
        let quoted = matches!(out.chars().last(), Some('(' | '<' | '"' | '\'' | '`' | '['));
        let len = from
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | '`' | ']'))
            .unwrap_or(from.len());
        let url = from[..len].trim_end_matches(['.', ',', ';', ':', '!', '?']);
        if in_code || quoted {
            out.push_str(url);
        } else {
            out.push('<');
            out.push_str(url);
            out.push('>');
        }
        rest = &from[url.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::link_bare_urls;

    #[test]
    fn bare_urls_become_links_and_the_rest_is_untouched() {
        assert_eq!(
            link_bare_urls("e.g. https://example.com/__clerk."),
            "e.g. <https://example.com/__clerk>."
        );
        assert_eq!(
            link_bare_urls("see [docs](https://clerk.com/docs) or `https://x.test/a`"),
            "see [docs](https://clerk.com/docs) or `https://x.test/a`"
        );
        assert_eq!(
            link_bare_urls("both http://a.test, and <https://b.test>"),
            "both <http://a.test>, and <https://b.test>"
        );
        assert_eq!(
            link_bare_urls("the [active one] (https://clerk.com/a#b)"),
            "the [active one](https://clerk.com/a#b)"
        );
        assert_eq!(link_bare_urls("no links here"), "no links here");
    }
}
