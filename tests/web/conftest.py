import pytest

from tests.web.sample import SampleArchive, build_sample_archive


@pytest.fixture
def sample_archive(db) -> SampleArchive:
    return build_sample_archive()
