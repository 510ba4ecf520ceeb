//! The house rules, read from the source tree (see ARCHITECTURE.md): the layers below the
//! routes know nothing of actix-web, SQL lives in `db`, and no module reaches, through the
//! modules it uses, back to itself.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

/// A module path inside the crate (`["apub", "inbox"]`; the library's root, `lib.rs`, is
/// empty). The binary's root, `main.rs`, is `["main"]`, and its command line `["cli", ...]`.
type Module = Vec<String>;

struct Source {
    path: PathBuf,
    /// The code without comments and without a trailing `#[cfg(test)] mod tests`.
    code: String,
}

fn tree() -> BTreeMap<Module, Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(&root).unwrap().with_extension("");
                let mut module: Module = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if matches!(module.last().map(String::as_str), Some("mod")) {
                    module.pop();
                }
                // Not `main` too: both roots under one key, one file would hide the other.
                if module == ["lib"] {
                    module.clear();
                }
                let text = std::fs::read_to_string(&path).unwrap();
                files.insert(
                    module,
                    Source {
                        path,
                        code: code_of(&text),
                    },
                );
            }
        }
    }
    files
}

/// Drops `//` comments and string literals' contents, and the unit tests at the end.
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_str = false;
        let mut prev = ' ';
        let mut kept = String::new();
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if !in_str && c == '/' && chars.get(i + 1) == Some(&'/') {
                break;
            }
            if c == '"' && prev != '\\' && !(prev == '\'' && chars.get(i + 1) == Some(&'\'')) {
                in_str = !in_str;
                kept.push('"');
            } else if !in_str {
                kept.push(c);
            }
            prev = if prev == '\\' && c == '\\' { ' ' } else { c };
            i += 1;
        }
        out.push_str(&kept);
        out.push('\n');
    }
    // A test module, with any attributes between `#[cfg(test)]` and `mod`.
    let mut from = 0;
    while let Some(found) = out[from..].find("#[cfg(test)]\n") {
        let at = from + found;
        let rest = out[at..]
            .lines()
            .skip(1)
            .find(|l| !l.trim_start().starts_with("#["));
        if rest.is_some_and(|l| l.trim_start().starts_with("mod ")) {
            return out[..at].to_owned();
        }
        from = at + 1;
    }
    out
}

/// `use a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(prefix: &[String], tree: &str, out: &mut Vec<Vec<String>>) {
    let mut depth = 0;
    let mut items = vec![String::new()];
    for c in tree.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth == 0 {
            items.push(String::new());
        } else {
            items.last_mut().unwrap().push(c);
        }
    }
    for item in items {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let segments = |s: &str| -> Vec<String> {
            s.split("::")
                .map(|x| x.trim().to_owned())
                .filter(|x| !x.is_empty())
                .collect()
        };
        let mut path = prefix.to_vec();
        match (item.find('{'), item.rfind('}')) {
            (Some(open), Some(close)) => {
                path.extend(segments(&item[..open]));
                expand(&path, &item[open + 1..close], out);
            }
            _ => {
                path.extend(segments(item.split(" as ").next().unwrap_or(item)));
                out.push(path);
            }
        }
    }
}

/// Every path the code names from the crate: `use` trees and `crate::`/`super::`/`self::`
/// paths written inline, with whether it came from a `pub use`.
fn paths(code: &str) -> Vec<(bool, Vec<String>)> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().last();
        let public = rest[..at].trim_end().ends_with("pub") || rest[..at].ends_with("pub(crate) ");
        let start = at + 4;
        let Some(end) = rest[start..].find(';') else {
            break;
        };
        if before.is_none_or(|c| !c.is_alphanumeric() && c != '_') {
            let mut uses = Vec::new();
            expand(&[], &rest[start..start + end], &mut uses);
            found.extend(uses.into_iter().map(|p| (public, p)));
        }
        rest = &rest[start..];
    }
    let bytes = code.as_bytes();
    for head in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(at) = code[from..].find(head) {
            let at = from + at;
            from = at + head.len();
            if at > 0
                && (bytes[at - 1].is_ascii_alphanumeric()
                    || bytes[at - 1] == b'_'
                    || bytes[at - 1] == b':')
            {
                continue;
            }
            let end = code[at..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .map_or(code.len(), |e| at + e);
            found.push((
                false,
                code[at..end]
                    .split("::")
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ));
        }
    }
    found
}

/// The module file a path lands in: the longest prefix that is one.
fn resolve(
    files: &BTreeMap<Module, Source>,
    from: &Module,
    path: &[String],
) -> Option<(Module, Vec<String>)> {
    let (mut base, mut rest) = match path.first().map(String::as_str) {
        Some("crate") => (Vec::new(), &path[1..]),
        Some("self") => (from.clone(), &path[1..]),
        Some("super") => (from.clone(), path),
        // `use child::Item` in a module names its own child module.
        Some(first) if files.contains_key(&[from.as_slice(), &[first.to_owned()]].concat()) => {
            (from.clone(), path)
        }
        _ => return None,
    };
    while rest.first().is_some_and(|s| s == "super") {
        base.pop();
        rest = &rest[1..];
    }
    let full: Vec<String> = base.into_iter().chain(rest.iter().cloned()).collect();
    (0..=full.len())
        .rev()
        .find(|&n| files.contains_key(&full[..n]))
        .map(|n| (full[..n].to_vec(), full[n..].to_vec()))
}

/// Which modules each module uses, through `pub use` re-exports to where an item is defined.
/// A module's use of its own ancestors (`super::`) is not counted: a parent declares its
/// children, and that is not a loop.
fn graph(files: &BTreeMap<Module, Source>) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut reexports: BTreeMap<(Module, String), Module> = BTreeMap::new();
    for (module, source) in files {
        for (public, path) in paths(&source.code) {
            if let (true, Some((target, _))) = (public, resolve(files, module, &path)) {
                if let Some(name) = path.last() {
                    reexports.insert((module.clone(), name.clone()), target);
                }
            }
        }
    }
    let mut edges = BTreeMap::new();
    for (module, source) in files {
        let mut uses = BTreeSet::new();
        for (_, path) in paths(&source.code) {
            let Some((mut target, rest)) = resolve(files, module, &path) else {
                continue;
            };
            if let Some(defined) = rest
                .first()
                .and_then(|n| reexports.get(&(target.clone(), n.clone())))
            {
                target = defined.clone();
            }
            let ancestor = target.len() <= module.len() && module[..target.len()] == target[..];
            if !ancestor {
                uses.insert(target);
            }
        }
        edges.insert(module.clone(), uses);
    }
    edges
}

fn name(m: &Module) -> String {
    if m.is_empty() {
        "crate".into()
    } else {
        m.join("::")
    }
}

/// A loop through `start`, if there is one: the modules in order.
fn loop_through(edges: &BTreeMap<Module, BTreeSet<Module>>, start: &Module) -> Option<Vec<Module>> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![(start.clone(), vec![start.clone()])];
    while let Some((at, trail)) = stack.pop() {
        for next in edges.get(&at).into_iter().flatten() {
            if next == start {
                return Some(trail);
            }
            if seen.insert(next.clone()) {
                let mut longer = trail.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

#[test]
fn no_module_reaches_back_to_itself() {
    let files = tree();
    assert!(files.len() > 100, "read the tree: {} files", files.len());
    let edges = graph(&files);
    // The reader sees real edges: the inbox uses the signatures.
    assert!(edges[&vec!["apub".to_owned(), "inbox".to_owned()]]
        .iter()
        .any(|m| m.first().is_some_and(|s| s == "apub")
            && m.get(1).is_some_and(|s| s == "signatures")));
    let loops: BTreeSet<String> = files
        .keys()
        .filter_map(|m| loop_through(&edges, m))
        .map(|trail| trail.iter().map(name).collect::<Vec<_>>().join(" → "))
        .collect();
    assert!(
        loops.is_empty(),
        "import loops:\n{}",
        loops.into_iter().collect::<Vec<_>>().join("\n")
    );
}

/// The files of the top-level modules `in_layer` accepts (the crate root is `""`) whose code
/// `breaks` the rule.
fn offenders(in_layer: impl Fn(&str) -> bool, breaks: impl Fn(&str) -> bool) -> Vec<String> {
    tree()
        .into_iter()
        .filter(|(m, _)| in_layer(m.first().map_or("", String::as_str)))
        .filter(|(_, s)| breaks(&s.code))
        .map(|(_, s)| s.path.display().to_string())
        .collect()
}

#[test]
fn the_layers_below_the_routes_know_nothing_of_actix() {
    let layers = ["db", "services", "domain", "apub", "delivery", "media"];
    // error.rs holds the one enum; each surface maps it to HTTP.
    let found = offenders(
        |top| layers.contains(&top) || top == "error",
        |code| code.contains("actix"),
    );
    assert!(found.is_empty(), "actix below the routes: {found:?}");
}

#[test]
fn sql_lives_in_db_alone() {
    let found = offenders(
        |top| top != "db",
        // Every layer may name diesel's error type, to say where a failure came from.
        |code| {
            code.replace("diesel::result::Error", "")
                .replace("diesel::r2d2::PoolError", "")
                .contains("diesel")
                || code.contains("schema::")
        },
    );
    assert!(found.is_empty(), "SQL outside src/db: {found:?}");
}

#[test]
fn the_surfaces_and_the_cli_write_through_services() {
    // The binary's root and its command files under src/cli, beside the routes.
    let layers = ["routes", "main", "cli"];
    let files = tree();
    for top in layers {
        assert!(
            files.keys().any(|m| m.first().is_some_and(|s| s == top)),
            "read no file of `{top}`"
        );
    }
    let found = offenders(
        |top| layers.contains(&top),
        |code| code.contains("db::write") || code.contains("run_write"),
    );
    assert!(found.is_empty(), "writes outside the services: {found:?}");
}
