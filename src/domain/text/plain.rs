//! HTML as plain text, and cutting it short: for archive lines, note titles in feeds, card
//! descriptions, imported summaries and comment titles. The one HTML-to-text function perch has.

/// The text of `html`: tags dropped (block ends become spaces), the common entities decoded,
/// runs of whitespace collapsed.
pub fn html_to_plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        decode_into(&mut out, &rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        // A tag separates words unless it is inline markup.
        let tag = rest[lt + 1..lt + gt].trim_start_matches('/');
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !matches!(
            name.as_str(),
            "a" | "span" | "em" | "strong" | "b" | "i" | "code" | "del" | "s" | "sup" | "sub"
        ) {
            out.push(' ');
        }
        rest = &rest[lt + gt + 1..];
    }
    decode_into(&mut out, rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn decode_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|&end| end <= 10).and_then(|end| {
            let entity = &after[..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// `text` cut at a word boundary to at most `max` characters, with `…` when cut.
pub fn cut(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let end = text
        .char_indices()
        .nth(max.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i);
    let head = &text[..end];
    let head = match head.rfind(char::is_whitespace) {
        Some(space) if space > end / 2 => &head[..space],
        _ => head,
    };
    format!(
        "{}…",
        head.trim_end_matches(|c: char| c.is_whitespace() || ",;:.-–—".contains(c))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_goes_and_words_stay_apart() {
        assert_eq!(
            html_to_plain("<p>Hi &amp; <a href=\"x\">you</a>!</p><p>Next&nbsp;one &#x1F914;</p>"),
            "Hi & you! Next one 🤔"
        );
        assert_eq!(html_to_plain("<ul><li>a</li><li>b</li></ul>"), "a b");
        assert_eq!(html_to_plain("AT&T &bogus; <b>x"), "AT&T &bogus; x");
        assert_eq!(
            html_to_plain("<p>go <a href=\"x\">#<span>kafka</span></a>! &#39;q&#39;</p>"),
            "go #kafka! 'q'"
        );
    }

    #[test]
    fn cutting_keeps_whole_words() {
        assert_eq!(cut("short", 80), "short");
        assert_eq!(cut("one two three four", 12), "one two…");
        assert_eq!(cut("ééééééééé", 5), "éééé…");
    }
}
