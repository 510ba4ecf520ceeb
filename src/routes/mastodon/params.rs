//! A request's parameters, however the client sent them: the query string, a form
//! (`media_ids[]=1&media_ids[]=2`, as Mastodon.py and most apps send), JSON, or multipart
//! (with files). Values are read with lenient getters, because apps disagree on how to write a
//! boolean (`true`, `1`, `"1"`) or an id (number or string).

use crate::error::Error;
use actix_web::{dev::Payload, http::header, FromRequest, HttpRequest};
use futures::{future::LocalBoxFuture, StreamExt};
use serde_json::{Map, Value};

/// Bodies other than uploads are capped at this size.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// What a multipart body may carry besides its file (the description, the focus…).
const FORM_MARGIN: usize = 64 * 1024;

/// An uploaded file.
#[derive(Debug)]
pub struct File {
    pub name: Option<String>,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Default)]
pub struct Params {
    values: Map<String, Value>,
    files: Vec<(String, File)>,
}

impl FromRequest for Params {
    type Error = super::ApiError;
    type Future = LocalBoxFuture<'static, Result<Params, super::ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move { Ok(Params::read(&req, payload).await?) })
    }
}

impl Params {
    async fn read(req: &HttpRequest, payload: Payload) -> Result<Params, Error> {
        let mut params = Params::default();
        params.add_form(req.query_string().as_bytes());
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        // An upload may be as large as the media limit; the form's other fields get a margin.
        let upload_limit = match crate::state::Data::extract(req).await {
            Ok(data) => data.settings.media.max_bytes,
            Err(_) => BODY_LIMIT,
        };
        if content_type.starts_with("multipart/form-data") {
            params.add_multipart(req, payload, upload_limit).await?;
            return Ok(params);
        }
        let body = read_body(payload, BODY_LIMIT).await?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(params);
        }
        if content_type.starts_with("application/json") {
            let value: Value = serde_json::from_slice(&body)
                .map_err(|e| Error::BadRequest(format!("the body is not valid JSON: {e}")))?;
            match value {
                Value::Object(map) => params.values.extend(map),
                _ => return Err(Error::BadRequest("the JSON body must be an object".into())),
            }
        } else {
            params.add_form(&body);
        }
        Ok(params)
    }

    fn add_form(&mut self, form: &[u8]) {
        for (key, value) in url::form_urlencoded::parse(form) {
            self.add(&key, Value::String(value.into_owned()));
        }
    }

    /// `key[]` collects into a list under `key`; a later plain `key` replaces an earlier one.
    fn add(&mut self, key: &str, value: Value) {
        match key.strip_suffix("[]") {
            Some(list) => match self.values.get_mut(list) {
                Some(Value::Array(items)) => items.push(value),
                _ => {
                    self.values
                        .insert(list.to_owned(), Value::Array(vec![value]));
                }
            },
            None => {
                self.values.insert(key.to_owned(), value);
            }
        }
    }

    async fn add_multipart(
        &mut self,
        req: &HttpRequest,
        payload: Payload,
        limit: usize,
    ) -> Result<(), Error> {
        let mut parts = actix_multipart::Multipart::new(req.headers(), payload);
        let mut total = 0usize;
        while let Some(part) = parts.next().await {
            let mut part =
                part.map_err(|e| Error::BadRequest(format!("bad multipart body: {e}")))?;
            let Some(disposition) = part.content_disposition().cloned() else {
                continue;
            };
            let name = disposition.get_name().unwrap_or_default().to_owned();
            let file_name = disposition.get_filename().map(str::to_owned);
            let mut bytes = Vec::new();
            while let Some(chunk) = part.next().await {
                let chunk =
                    chunk.map_err(|e| Error::BadRequest(format!("bad multipart body: {e}")))?;
                total += chunk.len();
                if total > limit + FORM_MARGIN {
                    return Err(Error::PayloadTooLarge(limit));
                }
                bytes.extend_from_slice(&chunk);
            }
            if file_name.is_some() {
                self.files.push((
                    name,
                    File {
                        name: file_name,
                        bytes,
                    },
                ));
            } else {
                let text = String::from_utf8(bytes).map_err(|_| {
                    Error::BadRequest(format!("the field `{name}` is not UTF-8 text"))
                })?;
                self.add(&name, Value::String(text));
            }
        }
        Ok(())
    }

    /// The raw value of `key`, if given.
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.values.get(key).filter(|v| !v.is_null())
    }

    pub fn has(&self, key: &str) -> bool {
        self.value(key).is_some()
    }

    /// A text value (numbers and booleans are given as text).
    pub fn str(&self, key: &str) -> Option<String> {
        match self.value(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A boolean the way apps write them: `true`/`false`, `1`/`0`, `"on"`.
    pub fn bool(&self, key: &str) -> Result<Option<bool>, Error> {
        let Some(v) = self.value(key) else {
            return Ok(None);
        };
        match v {
            Value::Bool(b) => Ok(Some(*b)),
            Value::Number(n) => Ok(Some(n.as_i64() != Some(0))),
            Value::String(s) => match s.to_ascii_lowercase().as_str() {
                "true" | "1" | "on" | "yes" => Ok(Some(true)),
                "false" | "0" | "off" | "no" | "" => Ok(Some(false)),
                _ => Err(Error::Unprocessable(format!(
                    "`{key}` must be true or false"
                ))),
            },
            _ => Err(Error::Unprocessable(format!(
                "`{key}` must be true or false"
            ))),
        }
    }

    /// A numeric id or count, given as a number or as text.
    pub fn i64(&self, key: &str) -> Result<Option<i64>, Error> {
        match self.str(key) {
            None => Ok(None),
            Some(s) if s.is_empty() => Ok(None),
            Some(s) => s
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| Error::Unprocessable(format!("`{key}` must be a number"))),
        }
    }

    /// A list (`key[]=a&key[]=b`, a JSON array, or one value).
    pub fn list(&self, key: &str) -> Vec<String> {
        match self.value(key) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect(),
            Some(_) => self.str(key).into_iter().collect(),
            None => Vec::new(),
        }
    }

    /// A list of numeric ids.
    pub fn ids(&self, key: &str) -> Result<Vec<i64>, Error> {
        self.list(key)
            .iter()
            .map(|s| {
                s.trim()
                    .parse()
                    .map_err(|_| Error::Unprocessable(format!("`{key}` holds an unknown id")))
            })
            .collect()
    }

    /// The uploaded file called `key`.
    pub fn take_file(&mut self, key: &str) -> Option<File> {
        let at = self.files.iter().position(|(name, _)| name == key)?;
        Some(self.files.swap_remove(at).1)
    }
}

async fn read_body(mut payload: Payload, limit: usize) -> Result<Vec<u8>, Error> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| Error::BadRequest(format!("reading the body: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(Error::PayloadTooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
