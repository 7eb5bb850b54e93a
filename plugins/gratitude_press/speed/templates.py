"""Compiled Jinja templates, shared.

Pelican gives every generator its own Jinja environment, so ``base.html`` and its
partials are compiled once per generator, and again on every rebuild of the dev
loop. Jinja's bytecode cache hook stores the compiled code under the template's name
and a checksum of its source: a changed template is compiled again, an unchanged one
is loaded. The store is a dict in memory; nothing is written to disk.
"""

import jinja2


class MemoryBytecodeCache(jinja2.BytecodeCache):
    def __init__(self):
        self.store = {}

    def load_bytecode(self, bucket):
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)  # ignored when the checksum differs

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()

    def clear(self):
        self.store.clear()
