//! Front matter at the top of a Markdown file, between `---` lines: the simple `key: value`
//! subset of YAML that blogs use (title, summary, tags, date, slug). Errors name the line.

use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Default, Clone, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub date: Option<DateTime<Utc>>,
    pub slug: Option<String>,
    /// `draft: true` (imports skip drafts).
    pub draft: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct FrontMatterError {
    pub line: usize,
    pub message: String,
}

/// Splits `text` into its front matter (if it opens with `---`) and the Markdown body.
pub fn split(text: &str) -> Result<(FrontMatter, &str), FrontMatterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return Ok((FrontMatter::default(), text));
    };
    let mut fm = FrontMatter::default();
    let mut offset = text.len() - rest.len();
    let mut pending_list: Option<&str> = None;
    for (n, raw) in rest.split_inclusive('\n').enumerate() {
        let line_no = n + 2;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.trim_end() == "---" || line.trim_end() == "..." {
            return Ok((fm, &text[offset..]));
        }
        let err = |message: String| FrontMatterError {
            line: line_no,
            message,
        };
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if let Some(item) = line.trim_start().strip_prefix("- ") {
            match pending_list {
                Some("tags") => fm.tags.push(clean_tag(item)),
                _ => return Err(err("a list item outside a list".into())),
            }
            continue;
        }
        let (key, value) = line
            .split_once(':')
            .ok_or_else(|| err(format!("expected `key: value`, found `{line}`")))?;
        let key = key.trim();
        let value = unquote(value.trim());
        pending_list = None;
        match key {
            "title" => fm.title = Some(value.to_owned()).filter(|v| !v.is_empty()),
            "summary" | "description" => {
                fm.summary = Some(value.to_owned()).filter(|v| !v.is_empty())
            }
            "slug" => {
                let ok = !value.is_empty()
                    && value
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                if !ok {
                    return Err(err(format!(
                        "slug `{value}` may hold only letters, digits, `-` and `_`"
                    )));
                }
                fm.slug = Some(value.to_ascii_lowercase());
            }
            "date" => fm.date = Some(parse_date(value).map_err(err)?),
            "tags" | "categories" => {
                if value.is_empty() {
                    pending_list = Some("tags");
                } else {
                    let inner = value
                        .strip_prefix('[')
                        .and_then(|v| v.strip_suffix(']'))
                        .unwrap_or(value);
                    fm.tags
                        .extend(inner.split(',').map(clean_tag).filter(|t| !t.is_empty()));
                }
            }
            "draft" => fm.draft = value == "true",
            // Other keys (layout, author…) belong to other blog engines: ignored.
            _ => {}
        }
    }
    Err(FrontMatterError {
        line: 1,
        message: "front matter opened with `---` is never closed".into(),
    })
}

fn unquote(v: &str) -> &str {
    v.strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(v)
}

fn clean_tag(t: &str) -> String {
    unquote(t.trim())
        .trim_start_matches('#')
        .trim()
        .to_lowercase()
        .replace(' ', "_")
}

fn parse_date(v: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(d) = DateTime::parse_from_rfc3339(v) {
        return Ok(d.with_timezone(&Utc));
    }
    if let Ok(d) = chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M:%S") {
        return Ok(d.and_utc());
    }
    if let Ok(d) = chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M") {
        return Ok(d.and_utc());
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .map(|d| d.and_utc())
        .ok_or_else(|| format!("date `{v}` is not YYYY-MM-DD or RFC 3339"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_read_and_the_body_kept() {
        let text =
            "---\ntitle: \"Notes from the First Kafka Summit\"\ntags: [kafka, Streaming Data]\n\
                    date: 2016-07-12\nslug: kafka-summit\nlayout: post\n---\n# Body\n";
        let (fm, body) = split(text).expect("parses");
        assert_eq!(
            fm.title.as_deref(),
            Some("Notes from the First Kafka Summit")
        );
        assert_eq!(fm.tags, ["kafka", "streaming_data"]);
        assert_eq!(fm.slug.as_deref(), Some("kafka-summit"));
        assert_eq!(
            fm.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2016-07-12T12:00:00+00:00")
        );
        assert_eq!(body, "# Body\n");
        let (fm, _) = split("---\ntags:\n  - a\n  - '#B'\n---\n").expect("list");
        assert_eq!(fm.tags, ["a", "b"]);
    }

    #[test]
    fn no_front_matter_means_all_body() {
        let (fm, body) = split("# Title\n\ntext").expect("parses");
        assert_eq!(fm, FrontMatter::default());
        assert_eq!(body, "# Title\n\ntext");
    }

    #[test]
    fn errors_name_the_line() {
        let e = split("---\ntitle: x\ndate: yesterday\n---\n").expect_err("bad date");
        assert_eq!(e.line, 3);
        let e = split("---\ntitle x\n---\n").expect_err("no colon");
        assert_eq!(e.line, 2);
        let e = split("---\ntitle: x\n").expect_err("unclosed");
        assert!(e.message.contains("never closed"));
    }
}
