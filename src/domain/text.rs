//! Text as people type it, turned into the HTML that ActivityPub carries.

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
/// breaks become `<br>`, everything else is escaped.
pub fn plain_to_html(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let lines: Vec<String> = p.lines().map(escape).collect();
            format!("<p>{}</p>", lines.join("<br>"))
        })
        .collect()
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
}
