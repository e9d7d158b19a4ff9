# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rehearsal image builder's pure parts: manifests, layer diffs, the OCI layout."""

import json
import os
import tarfile

from ansible_collections.indydevops.k8s_talk.plugins.module_utils import images


def make_tree(root, files):
    for rel, content in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(content)


def test_manifest_keeps_mount_points_but_not_their_content(tmp_path):
    make_tree(tmp_path, {"etc/hostname": "x", "proc/1/status": "y", "tmp/junk": "z"})
    manifest = images.tree_manifest(str(tmp_path))
    assert "etc/hostname" in manifest and manifest["etc/hostname"][0] == "f"
    assert manifest["proc"][0] == "d" and manifest["tmp"][0] == "d"
    assert "proc/1/status" not in manifest and "tmp/junk" not in manifest


def test_diff_lists_changes_and_top_level_deletions(tmp_path):
    make_tree(tmp_path, {"a/keep": "1", "a/change": "2", "gone/x": "3", "gone/y": "4"})
    base = images.tree_manifest(str(tmp_path))
    make_tree(tmp_path, {"a/change": "22", "new/file": "5"})
    for rel in ("gone/x", "gone/y"):
        os.unlink(os.path.join(tmp_path, rel))
    os.rmdir(os.path.join(tmp_path, "gone"))
    changed, deleted = images.diff_manifests(base, images.tree_manifest(str(tmp_path)))
    assert "a/change" in changed and "new/file" in changed and "new" in changed
    assert "a/keep" not in changed
    assert deleted == ["gone"]


def test_layer_is_reproducible_with_whiteouts(tmp_path):
    root = tmp_path / "root"
    make_tree(root, {"etc/a": "hello", "usr/bin/tool": "#!/bin/sh\n"})
    os.chmod(root / "usr/bin/tool", 0o755)
    os.symlink("tool", root / "usr/bin/alias")
    out1, out2 = str(tmp_path / "1.tar"), str(tmp_path / "2.tar")
    paths = ["etc", "etc/a", "usr/bin/tool", "usr/bin/alias"]
    images.write_layer(str(root), paths, ["var/old"], out1)
    os.utime(root / "etc/a", (12345, 12345))
    images.write_layer(str(root), paths, ["var/old"], out2)
    assert images.sha256_file(out1) == images.sha256_file(out2)
    with tarfile.open(out1) as tar:
        members = {m.name: m for m in tar.getmembers()}
    assert members["var/.wh.old"].size == 0
    assert members["usr/bin/tool"].mode == 0o755 and members["usr/bin/tool"].uid == 0
    assert members["usr/bin/alias"].issym() and members["usr/bin/alias"].linkname == "tool"
    assert all(m.mtime == 0 for m in members.values())


def test_hard_links_are_stored_with_their_content(tmp_path):
    root = tmp_path / "root"
    make_tree(root, {"bin/one": "same"})
    os.link(root / "bin/one", root / "bin/two")
    out = str(tmp_path / "l.tar")
    images.write_layer(str(root), ["bin/one", "bin/two"], [], out)
    with tarfile.open(out) as tar:
        assert tar.extractfile("bin/two").read() == b"same"


def test_oci_archive_layout_and_name(tmp_path):
    layer = tmp_path / "layer.tar"
    with tarfile.open(layer, "w"):
        pass
    digest = images.sha256_file(str(layer))
    config = images.image_config([digest], cmd=["redis-server"], labels={"a": "b"})
    out = str(tmp_path / "img.oci.tar")
    manifest_digest = images.write_oci_archive("localhost/k8s-talk/redis:7.0-bookworm", [str(layer)], config, out)
    with tarfile.open(out) as tar:
        names = tar.getnames()
        index = json.load(tar.extractfile("index.json"))
        manifest = json.load(tar.extractfile("blobs/sha256/" + manifest_digest.split(":")[1]))
        stored_config = json.load(tar.extractfile(manifest["config"]["digest"].replace("sha256:", "blobs/sha256/")))
    assert "oci-layout" in names and "blobs/sha256/" + digest in names
    annotations = index["manifests"][0]["annotations"]
    assert annotations["io.containerd.image.name"] == "localhost/k8s-talk/redis:7.0-bookworm"
    assert annotations["org.opencontainers.image.ref.name"] == "7.0-bookworm"
    assert manifest["layers"][0]["digest"] == "sha256:" + digest
    assert stored_config["config"]["Cmd"] == ["redis-server"]
    assert stored_config["rootfs"]["diff_ids"] == ["sha256:" + digest]
    assert not os.path.exists(out + ".partial")


def test_archive_name():
    assert images.archive_name({"ref": "localhost/k8s-talk/perl:5.36-bookworm"}) == \
        "localhost_k8s-talk_perl_5.36-bookworm.oci.tar"


def test_files_links_and_removals(tmp_path):
    root = tmp_path / "r"
    make_tree(root, {"etc/nginx/sites-enabled/default": "server {}"})
    images.remove_paths(str(root), ["etc/nginx/sites-enabled/default", "not/there"])
    images.add_files(str(root), [{"path": "/var/log/nginx/access.log", "link": "/dev/stdout"},
                                 {"path": "/srv/index.php", "content": "<?php", "mode": "0640"}])
    assert not (root / "etc/nginx/sites-enabled/default").exists()
    assert os.readlink(root / "var/log/nginx/access.log") == "/dev/stdout"
    assert (root / "srv/index.php").read_text() == "<?php"
    assert oct(os.stat(root / "srv/index.php").st_mode & 0o777) == "0o640"


def test_build_image_runs_apt_in_a_chroot_with_no_service_started(tmp_path):
    base = tmp_path / "base"
    make_tree(base, {"etc/os-release": "bookworm", "usr/sbin/.keep": ""})
    base_layer = str(tmp_path / "base.tar")
    manifest = images.full_layer(str(base), base_layer)
    calls = []

    def run(cmd, env=None):
        calls.append(cmd)
        if cmd[0] == "cp":
            import shutil
            shutil.copytree(cmd[2], cmd[3], symlinks=True)
        if cmd[:2] == [cmd[0], cmd[1]] and "install" in cmd:
            rootfs = cmd[1]
            assert os.path.exists(os.path.join(rootfs, "usr/sbin/policy-rc.d"))
            make_tree(rootfs, {"usr/bin/redis-server": "elf"})

    out = str(tmp_path / "redis.oci.tar")
    images.build_image(run, {"ref": "localhost/x/redis:1", "packages": ["redis-server"], "cmd": ["redis-server"]},
                       str(base), manifest, base_layer, out, workdir=str(tmp_path))
    assert ["apt-get", "install"] == [c for c in calls if "install" in c][0][2:4]
    with tarfile.open(out) as tar:
        index = json.load(tar.extractfile("index.json"))
        manifest_doc = json.load(tar.extractfile(index["manifests"][0]["digest"].replace("sha256:", "blobs/sha256/")))
        assert len(manifest_doc["layers"]) == 2
        second = tar.extractfile(manifest_doc["layers"][1]["digest"].replace("sha256:", "blobs/sha256/"))
        with tarfile.open(fileobj=second) as layer:
            names = layer.getnames()
    assert "usr/bin/redis-server" in names and "etc/os-release" not in names
    assert "usr/sbin/policy-rc.d" not in names
