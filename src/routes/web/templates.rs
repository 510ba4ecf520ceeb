//! The page templates (files under `templates/`, compiled into the binary) in one minijinja
//! environment, built on first use. HTML autoescaping is on for every template.

use crate::{
    domain::text::escape,
    error::{Error, Result},
};
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use std::sync::OnceLock;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../../templates/base.html")),
    ("home.html", include_str!("../../../templates/home.html")),
    ("post.html", include_str!("../../../templates/post.html")),
    ("tag.html", include_str!("../../../templates/tag.html")),
    (
        "archive.html",
        include_str!("../../../templates/archive.html"),
    ),
    ("error.html", include_str!("../../../templates/error.html")),
    ("login.html", include_str!("../../../templates/login.html")),
    (
        "partials/profile.html",
        include_str!("../../../templates/partials/profile.html"),
    ),
    (
        "partials/post.html",
        include_str!("../../../templates/partials/post.html"),
    ),
    (
        "partials/images.html",
        include_str!("../../../templates/partials/images.html"),
    ),
    (
        "partials/tags.html",
        include_str!("../../../templates/partials/tags.html"),
    ),
    (
        "partials/pager.html",
        include_str!("../../../templates/partials/pager.html"),
    ),
];

static ENV: OnceLock<Result<Environment<'static>, String>> = OnceLock::new();

fn build() -> Result<Environment<'static>, String> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    // minijinja's HTML escaping also turns `/` into `&#x2f;`: valid, but it makes every URL
    // in an attribute unreadable to the naive scrapers behind link previews. Escape strings
    // the usual way (`& < > " '`) and leave everything else to the default formatter.
    env.set_formatter(|out, state, value| match value.as_str() {
        Some(s) if !value.is_safe() && *state.auto_escape() == AutoEscape::Html => {
            out.write_str(&escape(s)).map_err(minijinja::Error::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    });
    // A misspelt variable fails the render (and the tests) instead of printing nothing.
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|e| format!("template {name}: {e:#}"))?;
    }
    Ok(env)
}

/// A serializable view value for `minijinja::context!`.
pub fn val<T: serde::Serialize>(value: &T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

/// Renders template `name` with `ctx`.
pub fn render(name: &str, ctx: Value) -> Result<String> {
    let env = ENV
        .get_or_init(build)
        .as_ref()
        .map_err(|e| Error::internal(e.clone()))?;
    env.get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| Error::internal(format!("template {name}: {e:#}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        if let Err(e) = build() {
            panic!("{e}");
        }
    }

    #[test]
    fn text_is_escaped_and_urls_stay_readable() {
        let mut env = build().expect("templates");
        env.add_template("t.html", "<a href=\"{{ u }}\">{{ t }}</a>{{ h|safe }}")
            .expect("template");
        let out = env
            .get_template("t.html")
            .and_then(|t| {
                t.render(minijinja::context! {
                    u => "https://a.example/@me?x=1&y=2",
                    t => "<script>\"'",
                    h => "<b>ok</b>",
                })
            })
            .expect("render");
        assert_eq!(
            out,
            "<a href=\"https://a.example/@me?x=1&amp;y=2\">&lt;script&gt;&quot;&#39;</a><b>ok</b>"
        );
    }
}
