//! HTML is hostile until it has been through here, the network's and the author's alike
//! (raw HTML in Markdown is still HTML). One policy: what Mastodon allows (links,
//! paragraphs, line breaks, mentions, hashtags, emphasis, lists, code, quotes), and the
//! headings and tables that articles carry, stays; scripts,
//! styles, event handlers, frames, SVG and `javascript:`/`data:` URLs go. Links get
//! `rel="nofollow noopener ugc"` when they come from the network. The author's Markdown also
//! keeps images, code languages, task lists and footnotes ([`clean_authored`]).

use ammonia::Builder;
use std::{
    collections::{HashMap, HashSet},
    sync::{Mutex, OnceLock},
};

/// The one policy: what stays of any HTML, the network's or the author's.
fn policy() -> Builder<'static> {
    let mut b = Builder::empty();
    b.add_tags([
        "p",
        "br",
        "a",
        "span",
        "em",
        "strong",
        "b",
        "i",
        "u",
        "s",
        "del",
        "ul",
        "ol",
        "li",
        "code",
        "pre",
        "blockquote",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "sup",
        "sub",
        "abbr",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    ])
    .add_tag_attributes("a", ["href"])
    .add_tag_attributes("ol", ["start", "reversed"])
    .add_allowed_classes("a", ["mention", "hashtag", "u-url", "status-link"])
    .add_allowed_classes("span", ["h-card", "invisible", "ellipsis"])
    .url_schemes(HashSet::from(["http", "https", "mailto"]))
    .strip_comments(true);
    b
}

fn remote() -> &'static Builder<'static> {
    static CLEANER: OnceLock<Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = policy();
        b.link_rel(Some("nofollow noopener ugc"))
            .url_relative(ammonia::UrlRelative::Deny);
        b
    })
}

/// The policy plus what the author's Markdown makes: images, code blocks' language, task
/// lists' boxes, footnotes, and links relative to the site (the author's own `rel`s stay).
fn authored() -> &'static Builder<'static> {
    static CLEANER: OnceLock<Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = policy();
        b.add_tags(["img", "input", "div"])
            .add_tag_attributes("img", ["src", "alt", "title"])
            .add_tag_attributes("a", ["rel", "target"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("div", ["id"])
            .add_tag_attributes("th", ["align"])
            .add_tag_attributes("td", ["align"])
            .add_allowed_classes("sup", ["footnote-reference", "footnote-definition-label"])
            .add_allowed_classes("div", ["footnote-definition"])
            .attribute_filter(|element, attribute, value| match (element, attribute) {
                ("code", "class") => value
                    .split_whitespace()
                    .all(|c| c.starts_with("language-"))
                    .then(|| value.into()),
                ("input", "type") => (value == "checkbox").then(|| value.into()),
                _ => Some(value.into()),
            })
            .add_tag_attributes("code", ["class"])
            .link_rel(None)
            .url_relative(ammonia::UrlRelative::PassThrough);
        b
    })
}

/// The HTML of a remote post, made safe to store and show.
pub fn clean(html: &str) -> String {
    remote().clean(html).to_string()
}

/// How many cleaned fragments [`clean_shown`] remembers (about a megabyte of comments).
const SHOWN_KEPT: usize = 2048;

/// [`clean`] for HTML that is shown again and again (the comments under a post, cleaned once
/// more at every view whatever stored them): the same answer, remembered for the same input,
/// so that a page with a thousand comments is not a thousand parses per view. The memory is
/// bounded: it starts over when full.
pub fn clean_shown(html: &str) -> String {
    static SHOWN: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    let shown = SHOWN.get_or_init(Mutex::default);
    if let Some(cleaned) = shown.lock().ok().and_then(|m| m.get(html).cloned()) {
        return cleaned;
    }
    let cleaned = clean(html);
    if let Ok(mut m) = shown.lock() {
        if m.len() >= SHOWN_KEPT {
            m.clear();
        }
        m.insert(html.to_owned(), cleaned.clone());
    }
    cleaned
}

/// The HTML that the author's Markdown rendered to (from an app, the CLI or an import): the
/// same policy, with what articles need. Raw HTML in the Markdown is held to it too.
pub fn clean_authored(html: &str) -> String {
    authored().clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::{clean, clean_authored, clean_shown};

    #[test]
    fn html_shown_again_is_cleaned_as_the_first_time() {
        let html =
            r#"<p onclick="x()">hi <script>alert(1)</script><a href="javascript:x">l</a></p>"#;
        let first = clean_shown(html);
        assert_eq!(first, clean(html));
        assert!(
            !first.contains("script")
                && !first.contains("onclick")
                && !first.contains("javascript")
        );
        assert_eq!(clean_shown(html), first);
        for n in 0..super::SHOWN_KEPT + 10 {
            let other = format!("<p>comment {n}<script>x</script></p>");
            assert_eq!(clean_shown(&other), clean(&other));
        }
        assert_eq!(clean_shown(html), first);
    }

    #[test]
    fn the_authors_markdown_keeps_what_articles_need_and_nothing_executable() {
        let html = "<h2>Head</h2><table><thead><tr><th>a</th></tr></thead><tbody><tr><td>b</td></tr></tbody></table>\
            <pre><code class=\"language-rust\">fn x() {}</code></pre>\
            <p><img src=\"https://cdn.example/a.png\" alt=\"A\"> <a href=\"/posts/x\">rel</a> \
            <a href=\"mailto:me@example.org\">mail</a> <a href=\"https://x.example/\">web</a></p>\
            <ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\"> done</li></ul>";
        assert_eq!(clean_authored(html), html);
        for hostile in [
            "<script>alert(1)</script>",
            "<p onclick=\"alert(1)\">x</p>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<img src=\"javascript:alert(1)\" onerror=\"alert(1)\">",
            "<code class=\"x\" onmouseover=\"alert(1)\">c</code>",
            "<input type=\"image\" src=\"x\" onfocus=\"alert(1)\" autofocus>",
            "<iframe src=\"https://evil.example\"></iframe>",
        ] {
            let out = clean_authored(hostile).to_ascii_lowercase();
            for bad in [
                "<script",
                "onclick",
                "onerror",
                "onmouseover",
                "onfocus",
                "javascript:",
                "<iframe",
                "class=\"x\"",
                "type=\"image\"",
            ] {
                assert!(!out.contains(bad), "{hostile} → {out} still has {bad}");
            }
        }
    }

    #[test]
    fn what_mastodon_sends_survives() {
        let html = r#"<p><span class="h-card"><a href="https://a.example/@me" class="u-url mention">@<span>me</span></a></span> nice <a href="https://a.example/tags/x" class="mention hashtag" rel="tag">#<span>x</span></a><br>line</p>"#;
        assert_eq!(
            clean(html),
            r#"<p><span class="h-card"><a href="https://a.example/@me" class="u-url mention" rel="nofollow noopener ugc">@<span>me</span></a></span> nice <a href="https://a.example/tags/x" class="mention hashtag" rel="nofollow noopener ugc">#<span>x</span></a><br>line</p>"#
        );
    }

    #[test]
    fn nothing_executable_is_left() {
        let hostile = [
            r#"<script>alert(1)</script>"#,
            r#"<img src=x onerror="alert(1)">"#,
            r#"<a href="javascript:alert(1)">x</a>"#,
            r#"<a href="JaVaScRiPt:alert(1)">x</a>"#,
            r#"<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>"#,
            r#"<style>body{display:none}</style>"#,
            r#"<iframe src="https://evil.example"></iframe>"#,
            r#"<svg><script>alert(1)</script></svg>"#,
            r#"<svg onload=alert(1)>"#,
            r#"<p onclick="alert(1)" style="color:red">x</p>"#,
            r#"<a href="&#106;avascript:alert(1)">x</a>"#,
            r#"<scr<script>ipt>alert(1)</script>"#,
            r#"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"#,
            r#"<object data="x.swf"></object><embed src="x">"#,
            r#"<form action="https://evil.example"><input></form>"#,
            r#"<p>unclosed <b>bold <a href="https://ok.example">"#,
        ];
        for h in hostile {
            let out = clean(h).to_ascii_lowercase();
            for bad in [
                "<script",
                "onerror",
                "onload",
                "onclick",
                "javascript:",
                "data:",
                "<style",
                "<iframe",
                "<svg",
                "<img",
                "<object",
                "<embed",
                "<form",
                "style=",
            ] {
                assert!(!out.contains(bad), "{h} → {out} still has {bad}");
            }
        }
    }
}
