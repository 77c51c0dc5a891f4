//! Turning the manuals' names into Rust names, and checking names.

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Words of a manual name: `SSL_ctxID` → `SSL`, `ctx`, `ID`.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = chunk.chars().collect();
        let mut cur = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                Some(p) if c.is_ascii_uppercase() => {
                    p.is_ascii_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
                }
                _ => false,
            };
            if boundary && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur.push(c);
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// `SSL_ctxID` → `ssl_ctx_id`; keywords get a trailing `_`.
pub fn snake_case(name: &str) -> String {
    let mut s = words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if s.is_empty() {
        s.push('_');
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// `qsslcfg_sslversion` → `QsslcfgSslversion`.
pub fn upper_camel(name: &str) -> String {
    let mut s: String = words(name)
        .iter()
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut c = lower.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect();
    if s.starts_with(|c: char| c.is_ascii_digit()) || s.is_empty() {
        s.insert(0, 'V');
    }
    s
}

pub fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && s.starts_with(|c: char| c.is_ascii_lowercase())
}

pub fn is_snake(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !KEYWORDS.contains(&s)
}

/// A Rust type or variant name: starts upper-case, letters, digits and `_` only.
pub fn is_upper_camel(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s != "Self"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_names_become_snake_case() {
        assert_eq!(snake_case("SSL_ctxID"), "ssl_ctx_id");
        assert_eq!(snake_case("clientID"), "client_id");
        assert_eq!(snake_case("ipaddr/domainname"), "ipaddr_domainname");
        assert_eq!(snake_case("IP_address"), "ip_address");
        assert_eq!(snake_case("type"), "type_");
        assert_eq!(snake_case("SNI"), "sni");
    }

    #[test]
    fn ids_become_upper_camel() {
        assert_eq!(upper_camel("qsslcfg_sslversion"), "QsslcfgSslversion");
        assert_eq!(upper_camel("recv_push"), "RecvPush");
    }

    #[test]
    fn kebab_ids_are_checked() {
        assert!(is_kebab("quectel-ec2x"));
        assert!(!is_kebab("Quectel_EC2x"));
        assert!(!is_kebab("quectel--ec2x"));
    }
}
