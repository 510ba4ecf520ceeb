//! Text as people type it, turned into the HTML that ActivityPub carries: paragraphs and line
//! breaks kept, URLs linked, `#hashtags` linked to their tag page, `@user@host` mentions linked
//! to the actor they resolved to; and back (`plain`). Pure: resolving mentions is the caller's job.

mod plain;

use super::Acct;
pub use plain::{cut, html_to_plain};
use std::collections::HashMap;

/// Escapes `&`, `<`, `>` and quotes for HTML text and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Plain text to HTML as Mastodon does it: blank lines separate paragraphs, single line
/// breaks become `<br>`, everything else is escaped (no links).
pub fn plain_to_html(text: &str) -> String {
    paragraphs(text, escape)
}

fn paragraphs(text: &str, inline: impl Fn(&str) -> String) -> String {
    let text = text.replace("\r\n", "\n");
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let lines: Vec<String> = p.lines().map(&inline).collect();
            format!("<p>{}</p>", lines.join("<br>"))
        })
        .collect()
}

/// A piece of typed text, as found by [`scan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    Text(&'a str),
    Url(&'a str),
    /// The tag without its `#`, as typed.
    Hashtag(&'a str),
    /// The whole mention as typed (`@user@host`), and the handle it names.
    Mention(&'a str, Acct),
}

/// Splits typed text into plain runs, URLs, hashtags and `@user@host` mentions.
pub fn scan(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut plain_start = 0;
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let prev = text[..i].chars().next_back();
        let at_boundary = prev.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '/'));
        let found = if rest.starts_with("http://") || rest.starts_with("https://") {
            url_len(rest).map(|n| (n, Token::Url(&rest[..n])))
        } else if rest.starts_with('#') && at_boundary {
            hashtag_len(&rest[1..]).map(|n| (n + 1, Token::Hashtag(&rest[1..=n])))
        } else if rest.starts_with('@') && at_boundary {
            mention_len(rest).and_then(|n| {
                Acct::parse(&rest[..n]).map(|acct| (n, Token::Mention(&rest[..n], acct)))
            })
        } else {
            None
        };
        match found {
            Some((n, token)) => {
                if plain_start < i {
                    tokens.push(Token::Text(&text[plain_start..i]));
                }
                tokens.push(token);
                i += n;
                plain_start = i;
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    if plain_start < text.len() {
        tokens.push(Token::Text(&text[plain_start..]));
    }
    tokens
}

fn url_len(s: &str) -> Option<usize> {
    let end = s
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
        .unwrap_or(s.len());
    let mut url = &s[..end];
    // Trailing punctuation belongs to the sentence, and a closing bracket only when unbalanced.
    while let Some(last) = url.chars().next_back() {
        let unbalanced = |open: char, close: char| {
            last == close && url.matches(close).count() > url.matches(open).count()
        };
        if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '’')
            || unbalanced('(', ')')
            || unbalanced('[', ']')
        {
            url = &url[..url.len() - last.len_utf8()];
        } else {
            break;
        }
    }
    let after_scheme = url.split_once("://").map_or("", |(_, r)| r);
    (!after_scheme.is_empty()).then_some(url.len())
}

fn hashtag_len(s: &str) -> Option<usize> {
    let n: usize = s
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .map(char::len_utf8)
        .sum();
    let tag = &s[..n];
    (n > 0 && !tag.chars().all(|c| c.is_ascii_digit())).then_some(n)
}

fn mention_len(s: &str) -> Option<usize> {
    let body = &s[1..];
    let user: usize = body
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        .map(char::len_utf8)
        .sum();
    let rest = body[user..].strip_prefix('@')?;
    let host: usize = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
        .map(char::len_utf8)
        .sum();
    let host_str = rest[..host].trim_end_matches(['.', ':', '-']);
    if user == 0 || !(host_str.contains('.') || host_str.starts_with("localhost")) {
        return None;
    }
    Some(1 + user + 1 + host_str.len())
}

/// Where the links of a note point: hashtag pages, and the actors that mentions resolved to
/// (keyed by `user@host`). A mention that did not resolve stays plain text.
pub struct LinkTargets<'a> {
    pub tag_url: &'a dyn Fn(&str) -> String,
    pub mentions: &'a HashMap<String, String>,
}

/// One line of typed text, escaped, with its links.
pub fn link_line(line: &str, targets: &LinkTargets<'_>) -> String {
    let mut out = String::with_capacity(line.len() + 16);
    for token in scan(line) {
        match token {
            Token::Text(t) => out.push_str(&escape(t)),
            Token::Url(u) => {
                let shown = u.split_once("://").map_or(u, |(_, r)| r);
                out.push_str(&format!(
                    "<a href=\"{}\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">{}</a>",
                    escape(u),
                    escape(shown)
                ));
            }
            Token::Hashtag(t) => out.push_str(&format!(
                "<a href=\"{}\" class=\"mention hashtag\" rel=\"tag\">#<span>{}</span></a>",
                escape(&(targets.tag_url)(&t.to_lowercase())),
                escape(t)
            )),
            Token::Mention(typed, acct) => match targets.mentions.get(&acct.to_string()) {
                Some(href) => out.push_str(&format!(
                    "<span class=\"h-card\"><a href=\"{}\" class=\"u-url mention\">@<span>{}</span></a></span>",
                    escape(href),
                    escape(&acct.user)
                )),
                None => out.push_str(&escape(typed)),
            },
        }
    }
    out
}

/// Typed text to HTML with links, hashtags and mentions (see [`link_line`]).
pub fn note_to_html(text: &str, targets: &LinkTargets<'_>) -> String {
    paragraphs(text, |line| link_line(line, targets))
}

/// The hashtags of typed text, lower-cased, each once, in order of appearance.
pub fn hashtags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for token in scan(text) {
        if let Token::Hashtag(t) = token {
            let t = t.to_lowercase();
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
    }
    tags
}

/// The `@user@host` handles of typed text, each once.
pub fn mentions(text: &str) -> Vec<Acct> {
    let mut found: Vec<Acct> = Vec::new();
    for token in scan(text) {
        if let Token::Mention(_, acct) = token {
            if !found.contains(&acct) {
                found.push(acct);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_breaks_survive_and_markup_does_not() {
        assert_eq!(
            plain_to_html("Hi <b>you</b>\nline two\n\nnext 🤔"),
            "<p>Hi &lt;b&gt;you&lt;/b&gt;<br>line two</p><p>next 🤔</p>"
        );
        assert_eq!(plain_to_html(""), "");
    }

    #[test]
    fn urls_hashtags_and_mentions_are_found_where_people_put_them() {
        let text = "See https://example.com/a_(b). #Kafka, C# and #123 not; @bob@social.example! \
                    @apachekafka alone, mail a@b.example, (https://x.example/y)";
        let tokens: Vec<_> = scan(text)
            .into_iter()
            .filter(|t| !matches!(t, Token::Text(_)))
            .collect();
        assert_eq!(
            tokens,
            vec![
                Token::Url("https://example.com/a_(b)"),
                Token::Hashtag("Kafka"),
                Token::Mention(
                    "@bob@social.example",
                    Acct::parse("bob@social.example").expect("acct")
                ),
                Token::Url("https://x.example/y"),
            ]
        );
        assert_eq!(hashtags("#Kafka #kafka #streams"), ["kafka", "streams"]);
        assert_eq!(
            mentions("hi @me@localhost:8080 and @me@localhost:8080")
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["me@localhost:8080"]
        );
    }

    #[test]
    fn links_are_escaped_and_unresolved_mentions_stay_text() {
        let resolved: HashMap<String, String> = [(
            "bob@social.example".to_owned(),
            "https://social.example/users/bob".to_owned(),
        )]
        .into();
        let tag_url = |t: &str| format!("https://me.example/tags/{t}");
        let targets = LinkTargets {
            tag_url: &tag_url,
            mentions: &resolved,
        };
        let html = note_to_html(
            "Hey @bob@social.example and @eve@nowhere.example <3 #Émoji 🤔\nhttps://a.example/?q=\"x\"",
            &targets,
        );
        assert_eq!(
            html,
            "<p>Hey <span class=\"h-card\"><a href=\"https://social.example/users/bob\" class=\"u-url mention\">@<span>bob</span></a></span> \
             and @eve@nowhere.example &lt;3 \
             <a href=\"https://me.example/tags/émoji\" class=\"mention hashtag\" rel=\"tag\">#<span>Émoji</span></a> 🤔<br>\
             <a href=\"https://a.example/?q=\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">a.example/?q=</a>&quot;x&quot;</p>"
        );
    }
}
