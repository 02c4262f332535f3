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
