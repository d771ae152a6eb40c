//! Rendered HTML pages of one store build, kept in memory so that a page
//! asked for again (a hub, the pages a crawler or a crowd of readers hits)
//! is not read from the store and rendered again.
//!
//! The cache belongs to a [`crate::Snapshot`]: a new build of the store
//! comes with an empty cache, so a cached page is never older than the
//! store it is answered from. It is bounded by the bytes of the pages it
//! holds ([`PAGE_CACHE_BYTES`]), evicting by quick_cache's CLOCK-Pro policy,
//! which resists scans (a crawl of every page once does not flush the
//! pages read often). Concurrent requests for a page that is not cached
//! yet render it once: the others wait for that render.

use std::sync::Arc;

use quick_cache::Weighter;
use quick_cache::sync::{Cache, GuardResult};

use crate::describe::Paging;

/// The bytes of rendered pages one build keeps.
pub(crate) const PAGE_CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// What identifies a rendered page: the resource's path below `/page/` and
/// the page of the list asked for (other query parameters change nothing).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct PageKey {
    path: String,
    section: Option<String>,
    page: usize,
}

impl PageKey {
    pub(crate) fn new(path: &str, paging: &Paging) -> Self {
        Self { path: path.to_owned(), section: paging.section.clone(), page: paging.page }
    }
}

/// Weighs a page by its bytes (at least 1, as quick_cache asks).
#[derive(Debug, Clone)]
struct Bytes;

impl Weighter<PageKey, Arc<str>> for Bytes {
    fn weight(&self, key: &PageKey, page: &Arc<str>) -> u64 {
        (page.len() + key.path.len()).max(1) as u64
    }
}

/// The rendered pages of one build.
pub(crate) struct PageCache {
    pages: Cache<PageKey, Arc<str>, Bytes>,
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache").field("pages", &self.pages.len()).field("bytes", &self.pages.weight()).finish()
    }
}

impl PageCache {
    /// An empty cache holding at most `bytes` of pages.
    pub(crate) fn new(bytes: u64) -> Self {
        // quick_cache sizes its tables from an estimate of the item count:
        // entity pages are a few KB, hub pages a few hundred.
        let estimated = usize::try_from(bytes / 8192).unwrap_or(usize::MAX).max(16);
        Self { pages: Cache::with_weighter(estimated, bytes, Bytes) }
    }

    /// The page `key`, rendered by `render` unless it is cached; a page
    /// that fails to render is not cached, and the error is returned.
    pub(crate) fn get_or_render<E>(
        &self,
        key: &PageKey,
        render: impl FnOnce() -> Result<String, E>,
    ) -> Result<Arc<str>, E> {
        match self.pages.get_value_or_guard(key, None) {
            GuardResult::Value(page) => Ok(page),
            GuardResult::Guard(guard) => {
                let page: Arc<str> = render()?.into();
                let _ = guard.insert(page.clone());
                Ok(page)
            }
            // Only with a timeout, which is not given; render without caching.
            GuardResult::Timeout => render().map(Arc::from),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn key(path: &str, query: &str) -> PageKey {
        PageKey::new(path, &Paging::from_query(query))
    }

    #[test]
    fn a_page_is_rendered_once_and_errors_are_not_kept() {
        let cache = PageCache::new(1 << 20);
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
        let cache = PageCache::new(10_000);
        for i in 0..100 {
            cache.get_or_render(&key(&format!("e{i}"), ""), || Ok::<_, ()>("x".repeat(1000))).unwrap();
        }
        assert!(cache.pages.weight() <= 10_000, "{}", cache.pages.weight());
    }
}
