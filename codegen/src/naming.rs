//! Rust names from spec names: types, fields, modules, enum variants.

/// Rust keywords that cannot be identifiers without `r#` (and the few that cannot be raw).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "static", "struct", "super", "trait", "true", "type", "unsafe", "use",
    "where", "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv",
    "try", "typeof", "unsized", "virtual", "yield",
];
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

/// Splits a spec name into lowercase words at `_ - . / space #`, digits and case changes.
pub fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let before_prev = if i >= 2 { chars[i - 2] } else { ' ' };
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            // `Web3Wallet` splits after the digit; `M2MTokens` keeps `M2M` together.
            let after_digit = prev.is_ascii_digit() && !before_prev.is_ascii_uppercase();
            // `SAMLAccount` splits before `Account`; `OAuth` stays one word; a plural acronym
            // (`URLs`, `ListRedirectURLs`) keeps its `s`.
            let plural_s = chars.get(i + 1) == Some(&'s')
                && !chars.get(i + 2).is_some_and(|n| n.is_ascii_lowercase());
            let acronym_end = prev.is_ascii_uppercase() && next_lower && cur.len() > 1 && !plural_s;
            if prev.is_ascii_lowercase() || after_digit || acronym_end {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `UpperCamelCase`, never starting with a digit.
pub fn type_name(name: &str) -> String {
    let mut s: String = words(name)
        .iter()
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    s
}

/// `snake_case`, never starting with a digit, not a keyword (raw identifier when needed).
pub fn field_name(name: &str) -> String {
    let mut s = words(name).join("_");
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if NOT_RAW.contains(&s.as_str()) {
        s.push('_');
    } else if KEYWORDS.contains(&s.as_str()) {
        s.insert_str(0, "r#");
    }
    s
}

/// A module or file name.
pub fn module_name(name: &str) -> String {
    let s = words(name).join("_");
    if KEYWORDS.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// Whether the Rust field name differs from the wire name (a `rename` is needed).
pub fn needs_rename(rust: &str, wire: &str) -> bool {
    rust.trim_start_matches("r#") != wire
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(type_name("verification_otp"), "VerificationOtp");
        assert_eq!(type_name("SAMLAccount"), "SamlAccount");
        assert_eq!(type_name("SCIMUserMetadata"), "ScimUserMetadata");
        assert_eq!(type_name("getM2MTokens"), "GetM2mTokens");
        assert_eq!(type_name("GetOAuthAccessToken"), "GetOauthAccessToken");
        assert_eq!(type_name("Web3Wallet"), "Web3Wallet");
        assert_eq!(module_name("M2M Tokens"), "m2m_tokens");
        assert_eq!(type_name("Foo.Bar-2"), "FooBar2");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("x5t#S256"), "x5t_s256");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(
            module_name("Allow-list / Block-list"),
            "allow_list_block_list"
        );
        assert_eq!(module_name("Email & SMS Templates"), "email_sms_templates");
        assert_eq!(field_name("GetUser"), "get_user");
        assert_eq!(field_name("x5t"), "x5t");
        assert_eq!(module_name("Redirect URLs"), "redirect_urls");
        assert_eq!(type_name("ListRedirectURLs"), "ListRedirectUrls");
        assert_eq!(type_name("SAMLSettings"), "SamlSettings");
    }
}
