import numpy as np
import pytest

from nanograph import InvalidInputError, generate_sticks, load_sticks, save_sticks


@pytest.mark.parametrize("suffix", [".npz", ".csv"])
def test_round_trip(tmp_path, suffix):
    s = generate_sticks(4.0, box=(5, 3), periodic=(False, True), rng=1)
    path = save_sticks(tmp_path / f"s{suffix}", s)
    back = load_sticks(
        path, box=None if suffix == ".npz" else (5, 3), periodic=None if suffix == ".npz" else (False, True)
    )
    np.testing.assert_array_equal(back.endpoints, s.endpoints)
    assert back.box == s.box and back.periodic == s.periodic


def test_csv_header_optional(tmp_path):
    (tmp_path / "a.csv").write_text("0,0,1,1\n0,1,1,0\n")
    (tmp_path / "b.csv").write_text("x0,y0,x1,y1\n0,0,1,1\n\n0,1,1,0\n")
    a, b = load_sticks(tmp_path / "a.csv", box=1), load_sticks(tmp_path / "b.csv", box=1)
    np.testing.assert_array_equal(a.endpoints, b.endpoints)
    assert len(a) == 2


@pytest.mark.parametrize(
    "text, match",
    [
        ("x0,y0,x1,y1\n0,0,1,1\n0,0,1\n", "line 3: expected 4 columns"),
        ("0,0,1,1\n0,a,1,1\n", "line 2: non-numeric"),
        ("0,0,1,1\n0,nan,1,1\n", "line 2: NaN"),
        ("0,0,1,1\n2,2,2,2\n", "line 2: zero-length"),
        ("foo,bar\n", "line 1"),
    ],
)
def test_bad_csv_names_the_line(tmp_path, text, match):
    (tmp_path / "bad.csv").write_text(text)
    with pytest.raises(InvalidInputError, match=match):
        load_sticks(tmp_path / "bad.csv", box=1)


def test_bad_npz(tmp_path):
    np.savez(tmp_path / "shape.npz", sticks=np.zeros((3, 5)))
    with pytest.raises(InvalidInputError, match="shape"):
        load_sticks(tmp_path / "shape.npz", box=1)
    np.savez(tmp_path / "none.npz", other=np.zeros((3, 4)))
    with pytest.raises(InvalidInputError, match="no array named 'sticks'"):
        load_sticks(tmp_path / "none.npz", box=1)
    np.savez(tmp_path / "nan.npz", sticks=np.array([[0, 0, 1, 1], [0, 0, np.nan, 1.0]]))
    with pytest.raises(InvalidInputError, match="row 1 has a NaN"):
        load_sticks(tmp_path / "nan.npz", box=1)
    np.savez(tmp_path / "zero.npz", sticks=np.array([[0, 0, 1, 1], [3, 3, 3, 3.0]]))
    with pytest.raises(InvalidInputError, match="row 1 is a zero-length"):
        load_sticks(tmp_path / "zero.npz", box=1)
    np.savez(tmp_path / "text.npz", sticks=np.array([["a", "b", "c", "d"]]))
    with pytest.raises(InvalidInputError, match="not numeric"):
        load_sticks(tmp_path / "text.npz", box=1)
    (tmp_path / "junk.npz").write_text("not a zip")
    with pytest.raises(InvalidInputError, match="not a readable"):
        load_sticks(tmp_path / "junk.npz", box=1)


def test_missing_box_and_file(tmp_path):
    (tmp_path / "a.csv").write_text("0,0,1,1\n")
    with pytest.raises(InvalidInputError, match="box"):
        load_sticks(tmp_path / "a.csv")
    with pytest.raises(InvalidInputError, match="does not exist"):
        load_sticks(tmp_path / "missing.npz")
    with pytest.raises(InvalidInputError, match="format"):
        save_sticks(tmp_path / "x.txt", generate_sticks(1.0, box=2, rng=0))


def test_box_given_for_an_npz_must_agree_with_the_stored_box(tmp_path):
    path = save_sticks(tmp_path / "s.npz", generate_sticks(5.0, box=8, rng=1))
    assert load_sticks(path, box=8).box == (8.0, 8.0)
    with pytest.raises(InvalidInputError, match=r"box 4 4 disagrees with the box 8 x 8 stored in .*omit box"):
        load_sticks(path, box=4)
    with pytest.raises(InvalidInputError, match=r"box 16 16 disagrees"):
        load_sticks(path, box=16)  # a larger box would hold the sticks but change the density: refused too


def test_csv_read_with_a_box_too_small_is_refused(tmp_path):
    path = save_sticks(tmp_path / "s.csv", generate_sticks(5.0, box=(40, 20), rng=1))
    assert load_sticks(path, box=(40, 20)).box == (40.0, 20.0)
    with pytest.raises(InvalidInputError, match=r"box 32 x 32: \d+ stick centre\(s\) lie outside it"):
        load_sticks(path, box=32)


def test_save_into_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(InvalidInputError, match="folder .*missing.* does not exist; create it first"):
        save_sticks(tmp_path / "missing" / "s.npz", generate_sticks(1.0, box=2, rng=1))


# Bad files are one-line errors naming the file (issue 12 §4).
def _one_line(exc_info) -> str:
    message = str(exc_info.value)
    assert "\n" not in message
    return message


def test_object_complex_and_text_arrays_are_refused(tmp_path):
    np.savez(tmp_path / "obj.npz", sticks=np.array([[0, 0, 1, 1]], dtype=object))
    with pytest.raises(InvalidInputError, match=r"obj.npz: array 'sticks' holds Python objects") as info:
        load_sticks(tmp_path / "obj.npz", box=1)
    _one_line(info)
    np.savez(tmp_path / "c.npz", sticks=np.array([[0, 0, 1, 1j]]))
    with pytest.raises(InvalidInputError, match=r"c.npz: array 'sticks' is complex"):
        load_sticks(tmp_path / "c.npz", box=1)
    sticks = np.array([[0.2, 0.5, 0.8, 0.5]])
    np.savez(tmp_path / "sbox.npz", sticks=sticks, box=np.array(["1", "1"]))
    with pytest.raises(InvalidInputError, match=r"sbox.npz: array 'box' is not numeric"):
        load_sticks(tmp_path / "sbox.npz")
    np.savez(tmp_path / "nbox.npz", sticks=sticks, box=np.array([-1.0, 1.0]))
    with pytest.raises(InvalidInputError, match=r"nbox.npz: stored 'box' is invalid"):
        load_sticks(tmp_path / "nbox.npz")


@pytest.mark.parametrize("flag, expected", [("false", False), ("False", False), ("true", True), ("0", False)])
def test_stored_periodic_text_flags_are_read_as_written(tmp_path, flag, expected):
    np.savez(tmp_path / "p.npz", sticks=np.array([[0.2, 0.5, 0.8, 0.5]]), box=[1.0, 1.0],
             periodic=np.array([flag, flag]))  # fmt: skip
    assert load_sticks(tmp_path / "p.npz").periodic == (expected, expected)
    np.savez(tmp_path / "q.npz", sticks=np.array([[0.2, 0.5, 0.8, 0.5]]), box=[1.0, 1.0],
             periodic=np.array(["maybe", "no"]))  # fmt: skip
    with pytest.raises(InvalidInputError, match="stored 'periodic' must be two booleans"):
        load_sticks(tmp_path / "q.npz")


def test_npy_renamed_and_corrupted_npz(tmp_path):
    np.save(tmp_path / "a.npy", np.zeros((2, 4)))
    (tmp_path / "a.npy").rename(tmp_path / "a.npz")
    with pytest.raises(InvalidInputError, match=r"a.npz: a single .npy array, not a .npz archive"):
        load_sticks(tmp_path / "a.npz", box=1)
    good = save_sticks(tmp_path / "good.npz", generate_sticks(20.0, box=4, rng=1))
    data = bytearray(good.read_bytes())
    start = data.index(b"\x93NUMPY")  # the sticks array's bytes (stored uncompressed): flip one -> bad CRC
    data[start + 200] ^= 0xFF
    (tmp_path / "crc.npz").write_bytes(bytes(data))
    with pytest.raises(InvalidInputError, match=r"crc.npz: .*(damaged|not a readable)") as info:
        load_sticks(tmp_path / "crc.npz")
    _one_line(info)
    import zipfile

    with zipfile.ZipFile(tmp_path / "z.npz", "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sticks.npy", b"\x93NUMPY" + b"\x00" * 300)
    raw = bytearray((tmp_path / "z.npz").read_bytes())
    raw[60:70] = b"\xff" * 10  # inside the deflated member: bad zlib data
    (tmp_path / "z.npz").write_bytes(bytes(raw))
    with pytest.raises(InvalidInputError, match=r"z.npz: ") as info:
        load_sticks(tmp_path / "z.npz", box=1)
    _one_line(info)


def test_csv_strict_numbers_and_utf8(tmp_path):
    (tmp_path / "u.csv").write_text("0,0.2_5,1,1\n")
    with pytest.raises(InvalidInputError, match="line 1"):
        load_sticks(tmp_path / "u.csv", box=1)
    (tmp_path / "v.csv").write_text("0,0,1,1\n0,0.2_5,1,1\n")
    with pytest.raises(InvalidInputError, match="line 2: non-numeric"):
        load_sticks(tmp_path / "v.csv", box=1)
    (tmp_path / "c.csv").write_text("0,0,1,1\n0,0,1,1+2j\n")
    with pytest.raises(InvalidInputError, match="line 2: non-numeric"):
        load_sticks(tmp_path / "c.csv", box=1)
    (tmp_path / "latin.csv").write_bytes("# café\n0,0,1,1\n".encode("latin-1"))
    with pytest.raises(InvalidInputError, match=r"latin.csv: not UTF-8 text"):
        load_sticks(tmp_path / "latin.csv", box=1)


def test_folder_and_unreadable_file(tmp_path):
    (tmp_path / "d.npz").mkdir()
    with pytest.raises(InvalidInputError, match=r"d.npz is a folder, not a file"):
        load_sticks(tmp_path / "d.npz")
    locked = save_sticks(tmp_path / "locked.npz", generate_sticks(2.0, box=3, rng=1))
    locked.chmod(0)
    try:
        if locked.open("rb"):  # root reads anything: nothing to test then
            pytest.skip("running as root: every file is readable")
    except PermissionError:
        with pytest.raises(InvalidInputError, match=r"locked.npz cannot be read \(permission denied\)"):
            load_sticks(locked)
    finally:
        locked.chmod(0o644)


def test_metadata_round_trip_with_unit(tmp_path):
    s = generate_sticks(3.0, box=4, rng=2)
    from nanograph.geometry.sticks import Sticks

    physical = Sticks(s.endpoints, s.box, s.periodic, {"unit_m": 2e-5, "parameters": {"density": 3.0}})
    for suffix in (".npz", ".csv"):
        path = save_sticks(tmp_path / f"s{suffix}", physical, metadata={"seed": 2})
        back = load_sticks(path, box=None if suffix == ".npz" else 4)
        np.testing.assert_array_equal(back.endpoints, s.endpoints)
        if suffix == ".npz":
            assert back.info["unit_m"] == 2e-5 and back.info["seed"] == 2
            assert back.info["parameters"] == {"density": 3.0} and back.info["units"]["unit_m"] == 2e-5
        else:
            assert back.info["unit_m"] is None  # a CSV's unit is given when loading (--unit)
            assert '"seed": 2' in path.read_text().splitlines()[0]
    assert load_sticks(tmp_path / "s.csv", box=4, unit=1e-6).info["unit_m"] == 1e-6
    with pytest.raises(InvalidInputError, match="unit must be a positive length"):
        load_sticks(tmp_path / "s.csv", box=4, unit=-1.0)
