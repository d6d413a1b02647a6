"""Originality: a 64-bit perceptual hash of a picture, and the lookup of files that repeat a file of another work.

Why a DCT perceptual hash (pHash) and not a difference hash (dHash): the flag must survive what people do to a
picture they reuse — save it again as JPEG at another quality, scale it down, let a phone adjust it slightly —
while we only accept a distance of 3 bits out of 64, so every bit has to be stable. dHash compares neighbouring
pixels of a 9×8 reduction; in the flat areas of a photograph (sky, walls) those differences are near zero and
their signs flip with compression noise. pHash keeps only the lowest spatial frequencies of a 32×32 reduction
(the 8×8 coefficients after the constant one, as the original pHash does) and compares each with their median;
JPEG artefacts and resampling live in the high frequencies it drops. It needs no numpy: the DCT is separable, so
the 9 coefficients of each row and then of each column cost about 12,000 multiplications in pure Python (well
under 10 ms), against one decode of the picture that has to happen anyway for the thumbnails.

The lookup never scans every file: the hash is cut into four 16-bit bands, each an indexed column. Two hashes
within 3 bits differ in at most 3 bands, so they are equal in at least one (pigeonhole); the candidates are the
files sharing a band — indexed equality — and only they get the exact Hamming distance.
"""

import math
import statistics
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from PIL import Image

from .models import SimilarFile, WorkFile

HASH_BITS = 64
BANDS = 4
BAND_HEX = HASH_BITS // 4 // BANDS  # 4 hex digits = 16 bits per band
MAX_DISTANCE = 3  # at most BANDS - 1, or the band lookup could miss a pair
_REDUCED = 32  # the picture is reduced to 32×32 grey levels before the DCT
_KEPT = 8  # 8×8 low frequencies, after the constant row and column
# A picture this flat (standard deviation of its grey levels, 0–255) carries nothing to compare: all blank or
# black frames would hash alike, so they get no perceptual hash (identical bytes are still found by SHA-256).
_MIN_CONTRAST = 2.0

# cos((2x + 1)·u·π / 64) for u = 0..8 and x = 0..31: the DCT-II basis, unnormalised (the scale of each
# coefficient does not matter, only its order relative to the median of coefficients that share it).
_BASIS = [[math.cos((2 * x + 1) * u * math.pi / (2 * _REDUCED)) for x in range(_REDUCED)] for u in range(_KEPT + 1)]

assert MAX_DISTANCE < BANDS


def perceptual_hash(image: Image.Image) -> str | None:
    """The 64-bit pHash of a picture as 16 hex digits, or None for a picture with no contrast at all.

    Give the picture as it is displayed (EXIF orientation applied); any size and mode.
    """
    grey = image.convert("L").resize((_REDUCED, _REDUCED), Image.Resampling.LANCZOS)
    pixels = grey.tobytes()
    if statistics.pstdev(pixels) < _MIN_CONTRAST:
        return None
    rows = [pixels[y * _REDUCED:(y + 1) * _REDUCED] for y in range(_REDUCED)]
    # DCT of each row (frequencies u = 0..8), then of each of those 9 columns (frequencies v = 0..8).
    row_freq = [[sum(p * c for p, c in zip(row, _BASIS[u], strict=True)) for u in range(_KEPT + 1)] for row in rows]
    coefficients = [
        sum(row_freq[y][u] * _BASIS[v][y] for y in range(_REDUCED))
        for v in range(1, _KEPT + 1)
        for u in range(1, _KEPT + 1)
    ]
    median = statistics.median(coefficients)
    value = 0
    for coefficient in coefficients:
        value = (value << 1) | (coefficient > median)
    return f"{value:0{HASH_BITS // 4}x}"


def bands(hex_hash: str) -> list[str]:
    """The four bands of a hash, for WorkFile.hash_band_0..3."""
    return [hex_hash[i * BAND_HEX:(i + 1) * BAND_HEX] for i in range(BANDS)]


def band_fields(hex_hash: str | None) -> dict[str, str]:
    """perceptual_hash and hash_band_0..3 of a WorkFile for this hash (all empty for None)."""
    parts = bands(hex_hash) if hex_hash else [""] * BANDS
    return {"perceptual_hash": hex_hash or "", **{f"hash_band_{i}": part for i, part in enumerate(parts)}}


def distance(first: str, second: str) -> int:
    """Hamming distance of two hex hashes."""
    return (int(first, 16) ^ int(second, 16)).bit_count()


@dataclass(frozen=True)
class Match:
    other_id: int
    kind: str  # SimilarFile.Kind
    distance: int


def perceptual_candidates(work_file: WorkFile):
    """Files of other works sharing at least one band with this file's hash: indexed equality, never a scan."""
    condition = Q()
    for index, part in enumerate(bands(work_file.perceptual_hash)):
        condition |= Q(**{f"hash_band_{index}": part})
    return WorkFile.objects.filter(condition).exclude(work_id=work_file.work_id).order_by()


def find_similar(work_file: WorkFile) -> dict[int, Match]:
    """The files of other works that repeat this one, by id: the same bytes (SHA-256), or a picture within
    MAX_DISTANCE bits of its perceptual hash. The same bytes win over a perceptual match of the same pair."""
    found: dict[int, Match] = {}
    if work_file.perceptual_hash:
        for other_id, other_hash in perceptual_candidates(work_file).values_list("pk", "perceptual_hash"):
            apart = distance(work_file.perceptual_hash, other_hash)
            if apart <= MAX_DISTANCE:
                found[other_id] = Match(other_id, SimilarFile.Kind.PERCEPTUAL, apart)
    if work_file.sha256:
        same = WorkFile.objects.filter(sha256=work_file.sha256).exclude(work_id=work_file.work_id).order_by()
        for other_id in same.values_list("pk", flat=True):
            found[other_id] = Match(other_id, SimilarFile.Kind.IDENTICAL, 0)
    return found


def record_similar(work_file: WorkFile) -> dict[int, Match]:
    """Record, both ways, every file of another work that repeats this one, and forget pairs of this file
    that no longer hold (its hash changed on a rerun). Safe to repeat: one row per ordered pair, ever.

    Side effects: creates, updates and deletes SimilarFile rows involving ``work_file``, in one transaction.
    Call it after the file's own hash is committed: of two similar files processed at the same time by two
    workers, the later lookup then always sees the other's hash.
    """
    found = find_similar(work_file)
    with transaction.atomic():
        SimilarFile.objects.filter(
            (Q(file=work_file) & ~Q(other_id__in=found)) | (Q(other=work_file) & ~Q(file_id__in=found))
        ).delete()
        rows = []
        for match in found.values():
            rows.append(SimilarFile(file_id=work_file.pk, other_id=match.other_id, kind=match.kind,
                                    distance=match.distance))
            rows.append(SimilarFile(file_id=match.other_id, other_id=work_file.pk, kind=match.kind,
                                    distance=match.distance))
        if rows:
            SimilarFile.objects.bulk_create(rows, update_conflicts=True, unique_fields=["file", "other"],
                                            update_fields=["kind", "distance"])
    return found
