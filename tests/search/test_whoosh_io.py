"""The in-place reader of memory-mapped index parts behaves like the file Whoosh expects."""

import pickle

from archive.search.whoosh_io import ZeroCopyBufferFile


def test_it_reads_seeks_and_unpickles_without_copying_the_buffer():
    data = b"first line\n" + pickle.dumps({"مفتاح": [1, 2, 3]}) + b"tail"
    view = memoryview(data)
    part = ZeroCopyBufferFile(view, name="part")
    assert part.readline() == b"first line\n"
    assert pickle.load(part.file) == {"مفتاح": [1, 2, 3]}
    assert part.read() == b"tail"
    part.seek(0)
    assert part.read(5) == b"first"
    assert part.tell() == 5
    assert part.get(6, 4) == b"line"
    assert part._buf is view
