//! Remote HTML is hostile until it has been through here: what Mastodon allows (links,
//! paragraphs, line breaks, mentions, hashtags, emphasis, lists, code, quotes), and the
//! headings and tables that articles carry, stays; scripts,
//! styles, event handlers, frames, SVG and `javascript:`/`data:` URLs go. Links get
//! `rel="nofollow noopener ugc"`.

use ammonia::Builder;
use std::{collections::HashSet, sync::OnceLock};

fn cleaner() -> &'static Builder<'static> {
    static CLEANER: OnceLock<Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
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
        .link_rel(Some("nofollow noopener ugc"))
        .url_relative(ammonia::UrlRelative::Deny)
        .strip_comments(true);
        b
    })
}

/// The HTML of a remote post, made safe to store and show.
pub fn clean(html: &str) -> String {
    cleaner().clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::clean;

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
