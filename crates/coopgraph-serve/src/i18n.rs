//! The language of the interface: English or Chinese. A page's chrome and
//! headings, and the label shown first, follow it.
//!
//! The language is `?lang=en|zh` when the request gives it (the switch in
//! every page's header links there, and the answer sets a `lang` cookie so
//! that the pages visited next keep it), else the `lang` cookie, else the
//! first of `en` and `zh` in `Accept-Language`, else English.

use axum::http::{HeaderMap, HeaderValue, header};

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// The BCP 47 tag: `en`, `zh`.
    pub(crate) fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The language of a tag (`zh-CN`, `zh-Hant` and `zh` are Chinese).
    fn of_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The other language.
    pub(crate) fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }

    /// The text in this language.
    pub(crate) fn t(self, en: &'static str, zh: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    /// The language's name in itself, as the switch shows it.
    pub(crate) fn name(self) -> &'static str {
        self.t("English", "中文")
    }
}

/// The language a request asks for, and whether it asked in its query
/// string (then the answer sets the cookie).
pub(crate) fn of_request(query: &str, headers: &HeaderMap) -> (Lang, bool) {
    let asked = form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "lang").and_then(|(_, v)| Lang::of_tag(&v));
    if let Some(lang) = asked {
        return (lang, true);
    }
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| kv.trim().strip_prefix("lang=").and_then(Lang::of_tag));
    if let Some(lang) = cookie {
        return (lang, false);
    }
    (accept_language(headers).unwrap_or_default(), false)
}

/// The first of English and Chinese in `Accept-Language`, by weight then
/// order.
fn accept_language(headers: &HeaderMap) -> Option<Lang> {
    let value = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    let mut best: Option<(f32, Lang)> = None;
    for item in value.split(',') {
        let mut parts = item.split(';');
        let Some(lang) = parts.next().and_then(Lang::of_tag) else { continue };
        let q =
            parts.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok())).unwrap_or(1.0);
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, lang));
        }
    }
    best.map(|(_, l)| l)
}

/// The cookie that keeps the language chosen with `?lang=`.
pub(crate) fn cookie(lang: Lang) -> HeaderValue {
    HeaderValue::from_static(match lang {
        Lang::En => "lang=en; Path=/; Max-Age=31536000; SameSite=Lax",
        Lang::Zh => "lang=zh; Path=/; Max-Age=31536000; SameSite=Lax",
    })
}

/// What a page in a language varies by.
pub(crate) const VARY: &str = "Accept, Accept-Language, Cookie";

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(k.clone(), HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn the_query_wins_then_the_cookie_then_accept_language() {
        let zh_browser = headers(&[(header::ACCEPT_LANGUAGE, "zh-CN,zh;q=0.9,en;q=0.8")]);
        assert_eq!(of_request("", &zh_browser), (Lang::Zh, false));
        assert_eq!(of_request("lang=en", &zh_browser), (Lang::En, true));
        let cookie = headers(&[(header::ACCEPT_LANGUAGE, "zh"), (header::COOKIE, "a=b; lang=en")]);
        assert_eq!(of_request("page=2", &cookie), (Lang::En, false));
        assert_eq!(of_request("lang=fr", &HeaderMap::new()), (Lang::En, false));
        let weighted = headers(&[(header::ACCEPT_LANGUAGE, "fr, en;q=0.5, zh-Hant;q=0.7")]);
        assert_eq!(of_request("", &weighted), (Lang::Zh, false));
    }
}
