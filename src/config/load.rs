//! Reading the layers of settings: TOML text, merged key by key over the defaults, and
//! `PERCH__SECTION__KEY` variables set into the tree with the type the default has.

use super::ConfigError;

pub(super) fn parse_toml(text: &str, path: &str) -> Result<toml::Value, ConfigError> {
    text.parse::<toml::Table>()
        .map(toml::Value::Table)
        .map_err(|source| ConfigError::Syntax {
            path: path.into(),
            source,
        })
}

/// Deep-merges `over` into `base`; a key that `base` (the defaults) lacks is an error.
pub(super) fn merge(
    base: &mut toml::Value,
    over: toml::Value,
    prefix: &str,
) -> Result<(), ConfigError> {
    match (base, over) {
        (toml::Value::Table(b), toml::Value::Table(o)) => {
            for (k, v) in o {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                let slot = b.get_mut(&k).ok_or_else(|| ConfigError::Key {
                    key: key.clone(),
                    message: "unknown key".into(),
                })?;
                merge(slot, v, &key)?;
            }
            Ok(())
        }
        (b, o) => {
            *b = o;
            Ok(())
        }
    }
}

pub(super) fn lookup_mut<'a>(
    root: &'a mut toml::Value,
    path: &[String],
) -> Result<&'a mut toml::Value, ConfigError> {
    let mut node = root;
    for part in path {
        node = node
            .as_table_mut()
            .and_then(|t| t.get_mut(part))
            .ok_or_else(|| ConfigError::Key {
                key: path.join("."),
                message: "unknown key".into(),
            })?;
    }
    Ok(node)
}

/// An environment value takes the type of the default it replaces.
pub(super) fn set_from_env(
    root: &mut toml::Value,
    path: &[String],
    raw: &str,
) -> Result<(), ConfigError> {
    let key = path.join(".");
    let slot = lookup_mut(root, path).map_err(|_| ConfigError::Key {
        key: key.clone(),
        message: format!(
            "unknown key (from PERCH__{})",
            key.replace('.', "__").to_uppercase()
        ),
    })?;
    let invalid = |what: &str| ConfigError::Key {
        key: key.clone(),
        message: format!("`{raw}` is not {what}"),
    };
    *slot = match slot {
        toml::Value::String(_) => toml::Value::String(raw.to_owned()),
        toml::Value::Boolean(_) => {
            toml::Value::Boolean(raw.trim().parse().map_err(|_| invalid("true or false"))?)
        }
        toml::Value::Integer(_) => {
            toml::Value::Integer(raw.trim().parse().map_err(|_| invalid("a whole number"))?)
        }
        toml::Value::Float(_) => {
            toml::Value::Float(raw.trim().parse().map_err(|_| invalid("a number"))?)
        }
        toml::Value::Array(_) => {
            return Err(ConfigError::Key {
                key: key.clone(),
                message: format!(
                    "is a list and cannot be set from the environment (PERCH__{}); \
                     set it in a config file instead, e.g. `{} = [\"https://example.com/\"]`",
                    key.replace('.', "__").to_uppercase(),
                    path.last().map_or("key", String::as_str),
                ),
            })
        }
        _ => return Err(invalid("settable from the environment")),
    };
    Ok(())
}
