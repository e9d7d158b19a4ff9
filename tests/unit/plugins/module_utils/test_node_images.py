# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The OCI image archive the rehearsal node imports: layout, digests, determinism."""

import hashlib
import io
import json
import tarfile

import pytest

from ansible_collections.indydevops.k8s_talk.plugins.module_utils import node_images


@pytest.fixture
def binary(tmp_path):
    path = tmp_path / "agnhost"
    path.write_bytes(b"\x7fELF fake agnhost")
    return str(path)


def members(data):
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        return {m.name: (m, tar.extractfile(m).read() if m.isfile() else None) for m in tar.getmembers()}


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("ref, expected", [
    ("registry.k8s.io/pause:3.10.2", ("registry.k8s.io/pause", "3.10.2")),
    ("registry.k8s.io/e2e-test-images/agnhost:2.63.0", ("registry.k8s.io/e2e-test-images/agnhost", "2.63.0")),
    ("localhost:5000/demo:v1", ("localhost:5000/demo", "v1")),
])
def test_split_reference(ref, expected):
    assert node_images.split_reference(ref) == expected


@pytest.mark.parametrize("ref", [None, "", "pause:3.10", "registry.k8s.io/pause", "Registry.k8s.io/Pause:1",
                                 "registry.k8s.io/pause@sha256:" + "a" * 64])
def test_split_reference_refuses(ref):
    with pytest.raises(node_images.ImageError, match="registry and a tag"):
        node_images.split_reference(ref)


def test_layer_holds_the_files_with_their_parents_owned_by_root(binary):
    layer = node_images.layer_tar(
        files=[{"src": binary, "dest": "/usr/local/bin/agnhost", "mode": 0o755}],
        directories=[{"dest": "/tmp", "mode": 0o1777}],
        symlinks=[{"dest": "/agnhost", "target": "usr/local/bin/agnhost"}])
    found = members(layer)
    # tarfile reads directory names back without their trailing slash.
    assert list(found) == ["agnhost", "tmp", "usr", "usr/local", "usr/local/bin", "usr/local/bin/agnhost"]
    info, data = found["usr/local/bin/agnhost"]
    assert (data, info.mode, info.uid, info.gid, info.mtime) == (b"\x7fELF fake agnhost", 0o755, 0, 0, 0)
    assert found["tmp"][0].mode == 0o1777
    assert found["agnhost"][0].issym() and found["agnhost"][0].linkname == "usr/local/bin/agnhost"


@pytest.mark.parametrize("dest", ["", "/", "/.."])
def test_layer_refuses_a_path_outside_the_image(binary, dest):
    with pytest.raises(node_images.ImageError, match="path below /"):
        node_images.layer_tar(files=[{"src": binary, "dest": dest}])


def test_layer_refuses_a_missing_file(tmp_path):
    with pytest.raises(node_images.ImageError, match="build it first"):
        node_images.layer_tar(files=[{"src": str(tmp_path / "nope"), "dest": "/nope"}])


def test_archive_is_an_oci_layout_whose_digests_match(binary, tmp_path):
    dest = str(tmp_path / "img.tar")
    changed, result = node_images.ensure_archive(
        dest, "registry.k8s.io/e2e-test-images/agnhost:2.63.0",
        files=[{"src": binary, "dest": "/agnhost", "mode": 0o755}], entrypoint=["/agnhost"], cmd=["pause"])
    assert changed
    with open(dest, "rb") as handle:
        found = members(handle.read())
    assert json.loads(found["oci-layout"][1]) == {"imageLayoutVersion": "1.0.0"}
    index = json.loads(found["index.json"][1])
    entry = index["manifests"][0]
    assert entry["annotations"] == {"io.containerd.image.name": "registry.k8s.io/e2e-test-images/agnhost:2.63.0",
                                    "org.opencontainers.image.ref.name": "2.63.0"}
    assert entry["digest"] == result["digest"]

    def blob(digest):
        return found["blobs/sha256/" + digest.split(":", 1)[1]][1]

    manifest_bytes = blob(entry["digest"])
    assert sha(manifest_bytes) == entry["digest"] and len(manifest_bytes) == entry["size"]
    manifest = json.loads(manifest_bytes)
    config = json.loads(blob(manifest["config"]["digest"]))
    layer = blob(manifest["layers"][0]["digest"])
    assert sha(layer) == manifest["layers"][0]["digest"] == config["rootfs"]["diff_ids"][0]
    assert config["config"]["Entrypoint"] == ["/agnhost"] and config["config"]["Cmd"] == ["pause"]
    assert (config["os"], config["architecture"]) == ("linux", "amd64")
    assert list(members(layer)) == ["agnhost"]


def test_a_second_run_changes_nothing_and_check_mode_writes_nothing(binary, tmp_path):
    dest = tmp_path / "img.tar"
    args = (str(dest), "registry.k8s.io/pause:3.10.2")
    kwargs = {"files": [{"src": binary, "dest": "/pause"}], "entrypoint": ["/pause"]}
    assert node_images.ensure_archive(*args, check_mode=True, **kwargs)[0] is True
    assert not dest.exists()
    first = node_images.ensure_archive(*args, **kwargs)
    assert first[0] is True
    again = node_images.ensure_archive(*args, **kwargs)
    assert again == (False, first[1])
    with open(binary, "ab") as handle:
        handle.write(b"rebuilt")
    changed, result = node_images.ensure_archive(*args, **kwargs)
    assert changed and result["digest"] != first[1]["digest"]
