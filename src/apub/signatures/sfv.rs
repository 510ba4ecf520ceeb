//! The part of HTTP Structured Field Values (RFC 8941) that signatures need: dictionaries
//! whose members are items or inner lists, with parameters, and the serialisation of an inner
//! list (RFC 9421's `@signature-params` line). Parsing never panics and refuses what the
//! grammar does not allow instead of guessing.

use base64::{engine::general_purpose::STANDARD as B64, Engine};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BareItem {
    Integer(i64),
    /// Kept as its canonical text (RFC 8941 §4.1.5); signatures never use decimals.
    Decimal(String),
    String(String),
    Token(String),
    Bytes(Vec<u8>),
    Boolean(bool),
}

pub type Parameters = Vec<(String, BareItem)>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub bare: BareItem,
    pub params: Parameters,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Member {
    Item(Item),
    InnerList(Vec<Item>, Parameters),
}

/// A dictionary in the order its keys first appeared (a repeated key keeps its last value).
pub type Dictionary = Vec<(String, Member)>;

/// The first value of parameter `key`.
pub fn param<'a>(params: &'a Parameters, key: &str) -> Option<&'a BareItem> {
    params.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Parses a dictionary field value.
pub fn parse_dictionary(input: &str) -> Result<Dictionary, String> {
    let mut p = Parser {
        s: input.as_bytes(),
        i: 0,
    };
    p.skip_sp();
    let mut dict: Dictionary = Vec::new();
    while !p.at_end() {
        let key = p.key()?;
        let member = if p.eat(b'=') {
            if p.peek() == Some(b'(') {
                let (items, params) = p.inner_list()?;
                Member::InnerList(items, params)
            } else {
                Member::Item(p.item()?)
            }
        } else {
            Member::Item(Item {
                bare: BareItem::Boolean(true),
                params: p.parameters()?,
            })
        };
        match dict.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = member,
            None => dict.push((key, member)),
        }
        p.skip_ows();
        if p.at_end() {
            break;
        }
        if !p.eat(b',') {
            return Err(format!("expected `,` at byte {}", p.i));
        }
        p.skip_ows();
        if p.at_end() {
            return Err("trailing `,`".into());
        }
    }
    Ok(dict)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn at_end(&self) -> bool {
        self.i >= self.s.len()
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn skip_sp(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }
    fn skip_ows(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }
    fn take_while(&mut self, ok: impl Fn(u8) -> bool) -> &str {
        let start = self.i;
        while self.peek().is_some_and(&ok) {
            self.i += 1;
        }
        // Only ASCII bytes are ever accepted by the callers' predicates.
        std::str::from_utf8(&self.s[start..self.i]).unwrap_or("")
    }

    fn key(&mut self) -> Result<String, String> {
        match self.peek() {
            Some(c) if c.is_ascii_lowercase() || c == b'*' => {}
            _ => return Err(format!("expected a key at byte {}", self.i)),
        }
        Ok(self
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b"_-.*".contains(&c))
            .to_owned())
    }

    fn parameters(&mut self) -> Result<Parameters, String> {
        let mut params: Parameters = Vec::new();
        while self.eat(b';') {
            self.skip_sp();
            let key = self.key()?;
            let value = if self.eat(b'=') {
                self.bare_item()?
            } else {
                BareItem::Boolean(true)
            };
            match params.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => params.push((key, value)),
            }
        }
        Ok(params)
    }

    fn item(&mut self) -> Result<Item, String> {
        let bare = self.bare_item()?;
        let params = self.parameters()?;
        Ok(Item { bare, params })
    }

    fn inner_list(&mut self) -> Result<(Vec<Item>, Parameters), String> {
        if !self.eat(b'(') {
            return Err("expected `(`".into());
        }
        let mut items = Vec::new();
        loop {
            self.skip_sp();
            if self.eat(b')') {
                let params = self.parameters()?;
                return Ok((items, params));
            }
            items.push(self.item()?);
            match self.peek() {
                Some(b' ' | b')') => {}
                _ => return Err(format!("expected ` ` or `)` at byte {}", self.i)),
            }
        }
    }

    fn bare_item(&mut self) -> Result<BareItem, String> {
        match self.peek() {
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'"') => self.string(),
            Some(b':') => self.bytes(),
            Some(b'?') => {
                self.i += 1;
                match self.peek() {
                    Some(b'1') => {
                        self.i += 1;
                        Ok(BareItem::Boolean(true))
                    }
                    Some(b'0') => {
                        self.i += 1;
                        Ok(BareItem::Boolean(false))
                    }
                    _ => Err("a boolean is ?0 or ?1".into()),
                }
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'*' => Ok(BareItem::Token(
                self.take_while(|c| c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~:/".contains(&c))
                    .to_owned(),
            )),
            _ => Err(format!("expected a value at byte {}", self.i)),
        }
    }

    fn number(&mut self) -> Result<BareItem, String> {
        let negative = self.eat(b'-');
        let int = self.take_while(|c| c.is_ascii_digit()).to_owned();
        if int.is_empty() {
            return Err("a number needs digits".into());
        }
        if self.eat(b'.') {
            let frac = self.take_while(|c| c.is_ascii_digit()).to_owned();
            if int.len() > 12 || frac.is_empty() || frac.len() > 3 {
                return Err("a decimal out of range".into());
            }
            let frac = frac.trim_end_matches('0');
            let frac = if frac.is_empty() { "0" } else { frac };
            let sign = if negative { "-" } else { "" };
            return Ok(BareItem::Decimal(format!("{sign}{int}.{frac}")));
        }
        if int.len() > 15 {
            return Err("an integer of more than 15 digits".into());
        }
        let n: i64 = int
            .parse()
            .map_err(|_| "an unreadable integer".to_owned())?;
        Ok(BareItem::Integer(if negative { -n } else { n }))
    }

    fn string(&mut self) -> Result<BareItem, String> {
        self.i += 1; // the opening quote
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err("unterminated string".into()),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(BareItem::String(out));
                }
                Some(b'\\') => {
                    self.i += 1;
                    match self.peek() {
                        Some(c @ (b'"' | b'\\')) => {
                            out.push(char::from(c));
                            self.i += 1;
                        }
                        _ => return Err("a bad escape in a string".into()),
                    }
                }
                Some(c @ 0x20..=0x7e) => {
                    out.push(char::from(c));
                    self.i += 1;
                }
                Some(_) => return Err("a string holds only printable ASCII".into()),
            }
        }
    }

    fn bytes(&mut self) -> Result<BareItem, String> {
        self.i += 1; // the opening colon
        let text = self
            .take_while(|c| c.is_ascii_alphanumeric() || b"+/=".contains(&c))
            .to_owned();
        if !self.eat(b':') {
            return Err("unterminated byte sequence".into());
        }
        B64.decode(text)
            .map(BareItem::Bytes)
            .map_err(|_| "a byte sequence is not base64".into())
    }
}

/// The canonical text of an inner list with its parameters (RFC 8941 §4.1.1.1).
pub fn serialize_inner_list(items: &[Item], params: &Parameters) -> String {
    let mut out = String::from("(");
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        serialize_bare(&item.bare, &mut out);
        serialize_params(&item.params, &mut out);
    }
    out.push(')');
    serialize_params(params, &mut out);
    out
}

fn serialize_params(params: &Parameters, out: &mut String) {
    for (key, value) in params {
        out.push(';');
        out.push_str(key);
        if *value != BareItem::Boolean(true) {
            out.push('=');
            serialize_bare(value, out);
        }
    }
}

fn serialize_bare(bare: &BareItem, out: &mut String) {
    match bare {
        BareItem::Integer(n) => out.push_str(&n.to_string()),
        BareItem::Decimal(d) => out.push_str(d),
        BareItem::String(s) => {
            out.push('"');
            for c in s.chars() {
                if c == '"' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
        }
        BareItem::Token(t) => out.push_str(t),
        BareItem::Bytes(b) => {
            out.push(':');
            out.push_str(&B64.encode(b));
            out.push(':');
        }
        BareItem::Boolean(b) => out.push_str(if *b { "?1" } else { "?0" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_input_parses_and_serialises_back() {
        let text = r#"sig1=("@method" "@target-uri" "content-digest");created=1618884473;keyid="https://a.example/u#main-key""#;
        let dict = parse_dictionary(text).expect("parses");
        assert_eq!(dict.len(), 1);
        let Member::InnerList(items, params) = &dict[0].1 else {
            panic!("an inner list")
        };
        assert_eq!(items.len(), 3);
        assert_eq!(
            param(params, "created"),
            Some(&BareItem::Integer(1618884473))
        );
        assert_eq!(
            format!("sig1={}", serialize_inner_list(items, params)),
            text
        );
    }

    #[test]
    fn a_loose_spelling_serialises_canonically() {
        let dict =
            parse_dictionary("a=(  \"x\"   \"y\" );n=1.50;t;f=?0, b=:AQI=:,  c").expect("ok");
        let Member::InnerList(items, params) = &dict[0].1 else {
            panic!("an inner list")
        };
        assert_eq!(
            serialize_inner_list(items, params),
            r#"("x" "y");n=1.5;t;f=?0"#
        );
        assert_eq!(
            dict[1].1,
            Member::Item(Item {
                bare: BareItem::Bytes(vec![1, 2]),
                params: vec![]
            })
        );
        assert_eq!(
            dict[2].1,
            Member::Item(Item {
                bare: BareItem::Boolean(true),
                params: vec![]
            })
        );
    }

    #[test]
    fn garbage_is_refused_without_panicking() {
        for bad in [
            "A=1",
            "a=",
            "a=(",
            "a=(\"x\"",
            "a=(\"x\"\"y\")",
            "a=\"unterminated",
            "a=\"bad\\q\"",
            "a=:not base64!:",
            "a=:AQI=",
            "a=1,",
            "a=1 b=2",
            "a=?2",
            "a=1234567890123456",
            "a=1.",
            "a=-",
            "a=\"é\"",
            "a=1;",
            "a=1;B=2",
            "=,=",
        ] {
            assert!(parse_dictionary(bad).is_err(), "{bad:?}");
        }
    }
}
