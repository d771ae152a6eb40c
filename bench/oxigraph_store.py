"""Oxigraph's own bulk loader, for the store comparison of bench/run.sh.

    oxigraph_store.py load FILE.nt STORE_DIR   load N-Triples with Store.bulk_load
    oxigraph_store.py count STORE_DIR          print the number of quads

`load` is pyoxigraph's binding of the same Rust bulk loader (`BulkLoader`)
that `oxigraph load` runs; it prints triples= and elapsed_s= like coopgraph.
"""

import sys
import time

import pyoxigraph as ox


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "load":
        started = time.perf_counter()
        store = ox.Store(sys.argv[3])
        store.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_TRIPLES)
        store.flush()
        elapsed = time.perf_counter() - started
        del store
        print(f"elapsed_s={elapsed:.3f}")
        return 0
    if len(sys.argv) == 3 and sys.argv[1] == "count":
        print(len(ox.Store.read_only(sys.argv[2])))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
