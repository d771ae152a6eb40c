//! The id table of a streaming import: every id of `entities.csv` once, with
//! its index (declaration order) and kind, which is all that the reference
//! checks of `relations.csv` need.
//!
//! On ten million relations the lookups dominate: the table is larger than
//! the processor's caches, so each lookup costs a cache miss. The table is
//! laid out so that a lookup touches one line of a small tag array (which
//! stays in cache) and one slot, and [`IdTable::get_many`] looks up a whole
//! window of ids at once, issuing the slot loads of the window together so
//! that their misses overlap instead of queueing.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use coopgraph_model::schema::EntityKind;

/// A fast hasher for ids (the multiply-rotate mix of rustc's `FxHasher`).
/// The ids come from the user's own files, so resistance to chosen
/// collisions is not needed; speed on ten million lookups is.
#[derive(Debug, Default, Clone, Copy)]
pub struct IdHasher(u64);

impl IdHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(word);
            self.add(u64::from_le_bytes(b));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            for (to, from) in b.iter_mut().zip(rest) {
                *to = *from;
            }
            self.add(u64::from_le_bytes(b));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply only carries entropy upwards, and ids of one kind
        // differ in their last bytes: mix the high bits down (murmur3's
        // finaliser), or the table's bucket bits would all collide.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// Hash-map builder with [`IdHasher`].
pub type IdHash = BuildHasherDefault<IdHasher>;

/// Ids up to this many bytes are held in the table's own slots.
const INLINE: usize = 26;

/// A short id as the table holds it: its length and its bytes, zero-padded
/// to a fixed size, so that hashing and comparing it take a fixed number of
/// word operations, without loops or calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    len: u8,
    bytes: [u8; INLINE],
}

impl Key {
    /// The key of `id`, unless it is too long to be held inline.
    #[inline]
    fn new(id: &str) -> Option<Key> {
        let mut bytes = [0u8; INLINE];
        bytes.get_mut(..id.len())?.copy_from_slice(id.as_bytes());
        Some(Key { len: id.len() as u8, bytes })
    }

    /// The id (keys are made from text, so this is always whole).
    fn as_str(&self) -> &str {
        self.bytes.get(..usize::from(self.len)).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or("")
    }

    #[inline]
    fn hash(&self) -> u64 {
        let mut h = IdHasher(u64::from(self.len));
        for chunk in self.bytes.chunks(8) {
            let mut word = [0u8; 8];
            for (to, from) in word.iter_mut().zip(chunk) {
                *to = *from;
            }
            h.add(u64::from_le_bytes(word));
        }
        h.finish()
    }
}

/// One slot of the id table: the id's index and kind and its key. 32 bytes
/// and aligned to them, so a slot never straddles two cache lines.
#[derive(Debug, Clone, Copy)]
#[repr(align(32))]
struct Slot {
    index: u32,
    kind: EntityKind,
    key: Key,
}

const EMPTY: Slot = Slot { index: 0, kind: EntityKind::Country, key: Key { len: 0, bytes: [0; INLINE] } };

/// Ids looked up together by [`IdTable::get_many`]: enough for their cache
/// misses to overlap, few enough that their slots stay in the first-level
/// cache until they are read.
const WINDOW: usize = 64;

/// The tag of a hash: 16 of its bits, never 0 (which marks an empty slot).
fn tag_of(h: u64) -> u16 {
    (h >> 48) as u16 | 1
}

/// What a lookup found: the id's index and kind, or `None` for an id that
/// was not declared.
pub type Found = Option<(u32, EntityKind)>;

/// The ids read from `entities.csv`: each id once (interned), with its
/// index (declaration order, from 0) and kind.
///
/// Short ids (all of the benchmark's) live in an open-addressing table with
/// linear probing: a 16-bit tag per slot in one array (2 bytes a slot, so
/// the probe sequence stays in cache), and the slots themselves, 32 bytes
/// holding the id, in another; a lookup reads slots only where the tag
/// matches, which is almost always the id's own slot. Longer ids go to an
/// ordinary hash map.
#[derive(Debug, Default)]
pub struct IdTable {
    tags: Vec<u16>,
    slots: Vec<Slot>,
    short: usize,
    long: HashMap<Box<str>, (u32, EntityKind), IdHash>,
    /// Where each id was declared (line and column, from 0), by index: a
    /// duplicate's error names the first declaration.
    positions: Vec<(u32, u32)>,
    /// The slot of each short id, by index (`u32::MAX` for a long one).
    slot_of: Vec<u32>,
}

/// Where a tag walk stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Walk {
    /// A slot whose tag matches (the id may still differ).
    Candidate(usize),
    /// An empty slot: the id is absent and would go here.
    Empty(usize),
}

impl IdTable {
    /// The index and kind of an id, if it was declared.
    pub fn get(&self, id: &str) -> Found {
        let Some(key) = Key::new(id) else { return self.long.get(id).copied() };
        if self.tags.is_empty() {
            return None;
        }
        let h = key.hash();
        self.finish_lookup(&key, tag_of(h), self.walk(h as usize, tag_of(h)))
    }

    /// Looks every id of `ids` up, in order, appending what was found to
    /// `found`. The same answers as [`IdTable::get`], faster on large
    /// tables: ids are taken [`WINDOW`] at a time, their tags walked, the
    /// slots of the window read all together (independent loads, whose
    /// cache misses the processor overlaps), then the ids compared.
    #[inline]
    pub fn get_many<'a>(&self, ids: impl IntoIterator<Item = &'a str>, found: &mut Vec<Found>) {
        const NONE: (&str, Option<Key>, u64) = ("", None, 0);
        let mut window = [NONE; WINDOW];
        let mut walks = [None; WINDOW];
        let mask = self.tags.len().wrapping_sub(1);
        let mut ids = ids.into_iter().peekable();
        while ids.peek().is_some() {
            let mut n = 0;
            for (slot, id) in window.iter_mut().zip(&mut ids) {
                let key = Key::new(id).filter(|_| !self.tags.is_empty());
                *slot = (id, key, key.map_or(0, |k| k.hash()));
                n += 1;
            }
            let window = window.get(..n).unwrap_or_default();
            // Each step first touches what the next one reads, in a loop
            // of independent loads whose cache misses overlap; the step
            // itself then hits the cache.
            let mut touched = 0u16;
            for &(_, _, h) in window {
                touched ^= self.tags.get(h as usize & mask).copied().unwrap_or(0);
            }
            for (walk, (_, key, h)) in walks.iter_mut().zip(window) {
                *walk = key.map(|_| self.walk(*h as usize, tag_of(*h)));
            }
            for walk in walks.iter().take(n) {
                if let Some(Walk::Candidate(i)) = walk {
                    touched ^= self.slots.get(*i).map_or(0, |s| u16::from(s.key.len));
                }
            }
            std::hint::black_box(touched);
            for ((id, key, h), walk) in window.iter().zip(&walks) {
                found.push(match (key, walk) {
                    (Some(key), Some(walk)) => self.finish_lookup(key, tag_of(*h), *walk),
                    _ => self.get(id),
                });
            }
        }
    }

    /// The first slot from `h`'s home whose tag is `tag` or that is empty.
    #[inline]
    fn walk(&self, h: usize, tag: u16) -> Walk {
        let mask = self.tags.len().wrapping_sub(1);
        let mut i = h & mask;
        loop {
            match self.tags.get(i) {
                Some(&t) if t == tag => return Walk::Candidate(i),
                Some(0) | None => return Walk::Empty(i),
                Some(_) => i = (i + 1) & mask,
            }
        }
    }

    /// Follows a walk to its end: compares candidates' keys with `key` and
    /// walks on past those that differ. Returns the slot holding `key`, or
    /// the empty slot where it would go.
    #[inline]
    fn finish_walk(&self, key: &Key, tag: u16, mut walk: Walk) -> Result<(usize, &Slot), usize> {
        let mask = self.tags.len().wrapping_sub(1);
        loop {
            match walk {
                Walk::Empty(i) => return Err(i),
                Walk::Candidate(i) => {
                    match self.slots.get(i) {
                        Some(slot) if slot.key == *key => return Ok((i, slot)),
                        Some(_) => {}
                        None => return Err(usize::MAX),
                    }
                    walk = self.walk((i + 1) & mask, tag);
                }
            }
        }
    }

    #[inline]
    fn finish_lookup(&self, key: &Key, tag: u16, walk: Walk) -> Found {
        self.finish_walk(key, tag, walk).ok().map(|(_, slot)| (slot.index, slot.kind))
    }

    /// The kind of an id, if it was declared.
    pub fn kind(&self, id: &str) -> Option<EntityKind> {
        self.get(id).map(|(_, k)| k)
    }

    /// How many ids.
    pub fn len(&self) -> usize {
        self.short + self.long.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Makes room for `n` short ids in all (load at most 7/8: probe walks
    /// grow long at such a load, but they walk the tag array, in cache).
    pub(crate) fn reserve(&mut self, n: usize) {
        let want = (n.saturating_mul(8) / 7 + 1).next_power_of_two().max(1024);
        if want <= self.tags.len() {
            return;
        }
        let old_tags = std::mem::replace(&mut self.tags, vec![0; want]);
        let old_slots = std::mem::replace(&mut self.slots, vec![EMPTY; want]);
        let mask = want - 1;
        for (tag, slot) in old_tags.into_iter().zip(old_slots).filter(|(t, _)| *t != 0) {
            let mut i = slot.key.hash() as usize & mask;
            while self.tags.get(i).is_some_and(|&t| t != 0) {
                i = (i + 1) & mask;
            }
            if let (Some(t), Some(s)) = (self.tags.get_mut(i), self.slots.get_mut(i)) {
                *t = tag;
                *s = slot;
            }
            if let Some(at) = usize::try_from(slot.index).ok().and_then(|n| self.slot_of.get_mut(n)) {
                *at = u32::try_from(i).unwrap_or(u32::MAX);
            }
        }
    }

    /// Adds an id; false if it was already there.
    #[cfg(test)]
    pub(crate) fn insert(&mut self, id: &str, kind: EntityKind) -> bool {
        let key = Key::new(id);
        self.insert_keyed(id, key, key.map_or(0, |k| k.hash()), kind, (0, 0)).is_ok()
    }

    /// Adds the ids of `new` in order, with their keys and hashes computed
    /// by the worker that read them; calls `duplicate` with each id that was
    /// already there (and its line and column). Like [`IdTable::get_many`],
    /// touches a window's tags before inserting its ids.
    /// Where the id of `index` was declared (line and column, from 0).
    pub fn position(&self, index: u32) -> Option<(u32, u32)> {
        self.positions.get(usize::try_from(index).ok()?).copied()
    }

    /// The id of `index`.
    pub fn id(&self, index: u32) -> Option<&str> {
        let slot = *self.slot_of.get(usize::try_from(index).ok()?)?;
        match self.slots.get(usize::try_from(slot).ok()?) {
            Some(s) if slot != u32::MAX => Some(s.key.as_str()),
            _ => self.long.iter().find(|(_, (i, _))| *i == index).map(|(k, _)| &**k),
        }
    }

    /// Every id, in no particular order (for suggestions).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        let short = self.slots.iter().filter(|s| s.key.len > 0).map(|s| s.key.as_str());
        short.chain(self.long.keys().map(|k| &**k))
    }

    /// Inserts the ids of a block, in order; `duplicate` gets each id that
    /// was already there, with its position and the first declaration's.
    pub(crate) fn insert_many(
        &mut self,
        new: &NewIds,
        mut duplicate: impl FnMut(&str, (u32, u32), Option<(u32, u32)>),
    ) {
        for window in new.items.chunks(WINDOW) {
            let mask = self.tags.len().wrapping_sub(1);
            let mut touched = 0u16;
            for item in window {
                touched ^= self.tags.get(item.hash as usize & mask).copied().unwrap_or(0);
            }
            // The id's home slot, where it lands unless taken: written to
            // below, and a write too waits for its cache line.
            for item in window {
                touched ^= self.slots.get(item.hash as usize & mask).map_or(0, |s| u16::from(s.key.len));
            }
            std::hint::black_box(touched);
            for item in window {
                let id = new.text.get(item.start..item.end).unwrap_or_default();
                if let Err(first) = self.insert_keyed(id, item.key, item.hash, item.kind, (item.line, item.column)) {
                    duplicate(id, (item.line, item.column), self.position(first));
                }
            }
        }
    }

    /// Adds an id with its key (`None` for a long id) and the key's hash.
    /// Inserts an id declared at `at`; `Err` with the index of the id
    /// when it was already there.
    fn insert_keyed(
        &mut self,
        id: &str,
        key: Option<Key>,
        h: u64,
        kind: EntityKind,
        at: (u32, u32),
    ) -> Result<(), u32> {
        let index = u32::try_from(self.len()).unwrap_or(u32::MAX);
        let Some(key) = key else {
            return match self.long.entry(Box::from(id)) {
                std::collections::hash_map::Entry::Occupied(o) => Err(o.get().0),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert((index, kind));
                    self.positions.push(at);
                    self.slot_of.push(u32::MAX);
                    Ok(())
                }
            };
        };
        if (self.short + 1) * 8 > self.tags.len() * 7 {
            self.reserve((self.short + 1) * 2);
        }
        let tag = tag_of(h);
        let free = match self.finish_walk(&key, tag, self.walk(h as usize, tag)) {
            Ok((_, slot)) => return Err(slot.index),
            Err(free) => free,
        };
        let (Some(t), Some(slot)) = (self.tags.get_mut(free), self.slots.get_mut(free)) else { return Err(u32::MAX) };
        *t = tag;
        *slot = Slot { index, kind, key };
        self.short += 1;
        self.positions.push(at);
        self.slot_of.push(u32::try_from(free).unwrap_or(u32::MAX));
        Ok(())
    }
}

/// Ids read by a worker, for [`IdTable::insert_many`] on the thread that
/// keeps the table: their text in one buffer (no allocation per id), their
/// hashes, kinds and positions.
#[derive(Debug, Default)]
pub struct NewIds {
    text: String,
    items: Vec<NewId>,
}

#[derive(Debug)]
struct NewId {
    start: usize,
    end: usize,
    key: Option<Key>,
    hash: u64,
    kind: EntityKind,
    line: u32,
    column: u32,
}

impl NewIds {
    /// Adds an id read at `line` and `column`.
    pub fn push(&mut self, id: &str, kind: EntityKind, line: u32, column: u32) {
        let start = self.text.len();
        self.text.push_str(id);
        let key = Key::new(id);
        let hash = key.map_or(0, |k| k.hash());
        self.items.push(NewId { start, end: self.text.len(), key, hash, kind, line, column });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_in_order() {
        let mut t = IdTable::default();
        assert!(t.insert("a", EntityKind::Country));
        assert!(t.insert("b", EntityKind::Treaty));
        assert!(!t.insert("a", EntityKind::Treaty));
        assert_eq!(t.get("b"), Some((1, EntityKind::Treaty)));
        assert_eq!(t.kind("a"), Some(EntityKind::Country));
        let long = "organization-with-a-very-long-id-000001";
        assert!(t.insert(long, EntityKind::Organization));
        assert_eq!(t.get(long), Some((2, EntityKind::Organization)));
        assert_eq!(t.kind("organization-with-a-very-long-id-000002"), None);
        assert_eq!(t.len(), 3);
    }

    #[test]
    fn empty_table_finds_nothing() {
        let t = IdTable::default();
        assert_eq!(t.get("a"), None);
        let mut found = Vec::new();
        t.get_many(["a", "b"], &mut found);
        assert_eq!(found, vec![None, None]);
    }

    #[test]
    fn batched_lookups_agree_with_single_ones() {
        // Enough ids to grow the table several times and to make tags
        // collide (16-bit tags, 30,000 ids), with absent and long ids mixed in.
        let mut t = IdTable::default();
        let kinds = [EntityKind::Country, EntityKind::Organization, EntityKind::Operation, EntityKind::Treaty];
        for i in 0..30_000 {
            assert!(t.insert(&format!("e-{i:06}"), kinds[i % 4]));
        }
        assert!(!t.insert("e-000007", EntityKind::Treaty));
        assert!(t.insert("a-long-id-that-does-not-fit-inline-000001", EntityKind::Treaty));
        let queries: Vec<String> = (0..40_000)
            .map(|i| format!("e-{:06}", (i * 7_919) % 35_000))
            .chain(["a-long-id-that-does-not-fit-inline-000001".to_owned(), String::new()])
            .collect();
        let mut found = Vec::new();
        t.get_many(queries.iter().map(String::as_str), &mut found);
        assert_eq!(found.len(), queries.len());
        let mut hits = 0;
        for (q, f) in queries.iter().zip(&found) {
            assert_eq!(*f, t.get(q), "{q}");
            if let Some(n) = q.strip_prefix("e-").and_then(|n| n.parse::<usize>().ok()) {
                assert_eq!(*f, (n < 30_000).then(|| (n as u32, kinds[n % 4])), "{q}");
                hits += usize::from(f.is_some());
            }
        }
        assert!(hits > 30_000 && hits < 40_000);
        assert_eq!(found.last(), Some(&None));
        assert_eq!(t.get("a-long-id-that-does-not-fit-inline-000001"), Some((30_000, EntityKind::Treaty)));
    }

    #[test]
    fn insert_many_reports_duplicates_in_order() {
        let mut t = IdTable::default();
        assert!(t.insert("b", EntityKind::Treaty));
        let mut new = NewIds::default();
        for (i, id) in ["a", "b", "c", "a", "a-long-id-that-does-not-fit-inline-000001"].iter().enumerate() {
            new.push(id, EntityKind::Country, i as u32 + 2, 0);
        }
        let mut duplicates = Vec::new();
        t.insert_many(&new, |id, (line, _), first| duplicates.push((id.to_owned(), line, first)));
        // "b" was inserted by `insert`, at (0, 0); "a" at line 2 of the block.
        assert_eq!(duplicates, vec![("b".to_owned(), 3, Some((0, 0))), ("a".to_owned(), 5, Some((2, 0)))]);
        assert_eq!(t.get("c"), Some((2, EntityKind::Country)));
        assert_eq!(t.len(), 4);
        assert_eq!(t.id(2), Some("c"));
        assert_eq!(t.id(3), Some("a-long-id-that-does-not-fit-inline-000001"));
        let mut all: Vec<&str> = t.ids().collect();
        all.sort_unstable();
        assert_eq!(all, ["a", "a-long-id-that-does-not-fit-inline-000001", "b", "c"]);
    }
}
