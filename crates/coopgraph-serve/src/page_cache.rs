//! Rendered HTML pages and search answers of one store build, kept in
//! memory so that a page asked for again (a hub, the pages a crawler or a
//! crowd of readers hits) is not read from the store and rendered again.
//!
//! The cache belongs to a [`crate::Snapshot`]: a new build of the store
//! comes with an empty cache, so a cached page is never older than the
//! store it is answered from. It is bounded by the bytes of the pages it
//! holds ([`PAGE_CACHE_BYTES`], [`SEARCH_CACHE_BYTES`]), evicting by quick_cache's CLOCK-Pro policy,
//! which resists scans (a crawl of every page once does not flush the
//! pages read often). Concurrent requests for a page that is not cached
//! yet render it once: the others wait for that render.

use std::sync::Arc;

use quick_cache::Weighter;
use quick_cache::sync::{Cache, GuardResult};

use crate::describe::Paging;

/// The bytes of rendered pages one build keeps.
pub(crate) const PAGE_CACHE_BYTES: u64 = 64 * 1024 * 1024;
/// The bytes of search answers one build keeps.
pub(crate) const SEARCH_CACHE_BYTES: u64 = 16 * 1024 * 1024;

/// What identifies a rendered page: the resource's path below `/page/` and
/// the page of the list asked for, and the interface language (other
/// query parameters change nothing).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct PageKey {
    path: String,
    section: Option<String>,
    page: usize,
    lang: crate::i18n::Lang,
}

impl PageKey {
    pub(crate) fn new(path: &str, paging: &Paging, lang: crate::i18n::Lang) -> Self {
        Self { path: path.to_owned(), section: paging.section.clone(), page: paging.page, lang }
    }
}

/// What a cached value weighs: about the bytes it holds.
pub(crate) trait Size {
    fn size(&self) -> usize;
}

impl Size for str {
    fn size(&self) -> usize {
        self.len()
    }
}

impl Size for coopgraph_search::SearchPage {
    fn size(&self) -> usize {
        // A hit holds an IRI, an id and a few labels.
        64 + self.hits.iter().map(|h| 64 + h.record.iri.len() * 2 + 128).sum::<usize>()
    }
}

impl Size for PageKey {
    fn size(&self) -> usize {
        self.path.len() + self.section.as_ref().map_or(0, String::len)
    }
}

/// The key of a search answer: text, language, offset and limit.
pub(crate) type SearchKey = (String, &'static str, usize, usize);

impl Size for SearchKey {
    fn size(&self) -> usize {
        self.0.len()
    }
}

/// Weighs an entry by its bytes (at least 1, as quick_cache asks).
#[derive(Debug, Clone)]
struct Bytes;

impl<K: Size, V: Size + ?Sized> Weighter<K, Arc<V>> for Bytes {
    fn weight(&self, key: &K, value: &Arc<V>) -> u64 {
        (value.size() + key.size()).max(1) as u64
    }
}

/// The values of one build, by key: rendered pages (`PageCache`) or
/// search answers.
pub(crate) struct BuildCache<K, V: ?Sized> {
    entries: Cache<K, Arc<V>, Bytes>,
}

/// The rendered pages of one build.
pub(crate) type PageCache = BuildCache<PageKey, str>;

/// The search answers of one build.
pub(crate) type SearchCache = BuildCache<SearchKey, coopgraph_search::SearchPage>;

impl<K, V> std::fmt::Debug for BuildCache<K, V>
where
    K: Size + Eq + std::hash::Hash + Clone,
    V: Size + ?Sized,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuildCache")
            .field("entries", &self.entries.len())
            .field("bytes", &self.entries.weight())
            .finish()
    }
}

impl<K, V> BuildCache<K, V>
where
    K: Size + Eq + std::hash::Hash + Clone,
    V: Size + ?Sized,
{
    /// An empty cache holding at most `bytes`, for values of about
    /// `typical` bytes each (quick_cache sizes its tables from the count).
    pub(crate) fn new(bytes: u64, typical: u64) -> Self {
        let estimated = usize::try_from(bytes / typical.max(1)).unwrap_or(usize::MAX).max(16);
        Self { entries: Cache::with_weighter(estimated, bytes, Bytes) }
    }

    /// The value of `key`, when it is cached.
    pub(crate) fn get(&self, key: &K) -> Option<Arc<V>> {
        self.entries.get(key)
    }

    /// The value of `key`, made by `make` unless it is cached; a value that
    /// fails to be made is not cached, and the error is returned.
    /// Concurrent calls for a key not cached yet wait for one `make`.
    pub(crate) fn get_or_make<E>(&self, key: &K, make: impl FnOnce() -> Result<Arc<V>, E>) -> Result<Arc<V>, E> {
        match self.entries.get_value_or_guard(key, None) {
            GuardResult::Value(value) => Ok(value),
            GuardResult::Guard(guard) => {
                let value = make()?;
                let _ = guard.insert(value.clone());
                Ok(value)
            }
            // Only with a timeout, which is not given; make it without caching.
            GuardResult::Timeout => make(),
        }
    }
}

impl PageCache {
    /// The page `key`, rendered by `render` unless it is cached.
    pub(crate) fn get_or_render<E>(
        &self,
        key: &PageKey,
        render: impl FnOnce() -> Result<String, E>,
    ) -> Result<Arc<str>, E> {
        self.get_or_make(key, || render().map(Arc::from))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn key(path: &str, query: &str) -> PageKey {
        PageKey::new(path, &Paging::from_query(query), crate::i18n::Lang::En)
    }

    #[test]
    fn a_page_is_rendered_once_and_errors_are_not_kept() {
        let cache = PageCache::new(1 << 20, 1000);
        let renders = AtomicUsize::new(0);
        let render = || -> Result<String, ()> {
            renders.fetch_add(1, Ordering::SeqCst);
            Ok("<p>hub</p>".to_owned())
        };
        for _ in 0..3 {
            assert_eq!(&*cache.get_or_render(&key("hub", ""), render).unwrap(), "<p>hub</p>");
        }
        assert_eq!(renders.load(Ordering::SeqCst), 1);
        // Another page of a list is another page; unknown parameters are not.
        cache.get_or_render(&key("hub", "section=member_of&page=2"), render).unwrap();
        cache.get_or_render(&key("hub", "utm=x"), render).unwrap();
        assert_eq!(renders.load(Ordering::SeqCst), 2);
        assert_eq!(cache.get_or_render(&key("bad", ""), || Err::<String, _>("no")), Err("no"));
        assert_eq!(&*cache.get_or_render(&key("bad", ""), render).unwrap(), "<p>hub</p>");
    }

    #[test]
    fn the_cache_keeps_within_its_bytes() {
        let cache = PageCache::new(10_000, 1000);
        for i in 0..100 {
            cache.get_or_render(&key(&format!("e{i}"), ""), || Ok::<_, ()>("x".repeat(1000))).unwrap();
        }
        assert!(cache.entries.weight() <= 10_000, "{}", cache.entries.weight());
    }
}
