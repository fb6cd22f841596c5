#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Offline per-phoneme pronunciation scoring with PocketSphinx.

The desktop app runs it as a separate, long-lived process (``--serve``; see
``classkit_practice::pronunciation``), the way it runs Piper.  It needs only
the PyPI package ``pocketsphinx`` 5.x (BSD licence), which ships the US English
acoustic model, the CMU pronouncing dictionary and a phone language model, and
``espeak-ng`` (run as a program) for words the dictionary does not hold.
Everything else here is the Python standard library (no numpy).

One request on stdin, one answer on stdout::

    echo '{"wav": "take.wav", "text": "light"}' | python3 pronounce.py

Or a long-lived process that keeps the model loaded and answers one JSON line
per request line (``--serve``)::

    python3 pronounce.py --serve  < requests.jsonl  > answers.jsonl

Request::

    {"wav": "/path/to/any-rate.wav",       # PCM or float WAV, mono or stereo
     "text": "negotiate",                   # what the learner was asked to say
     "phones": ["N","IH","G","OW","SH","IY","EY","T"],   # optional, ARPAbet
     "ipa": "nᵻɡˈoʊʃɪˌeɪt",                 # optional, espeak-ng IPA
     "threshold": 1.0,                      # optional, higher = fewer flags
     "debug": false}                        # optional, adds gains/cost/evidence

``phones`` is either one flat list for the whole text or one list per word of
``text``.  ``ipa`` is converted with ``IPA_TO_ARPABET`` (below) and is used
only when ``phones`` is absent (enclosing ``/…/`` or ``[…]`` and tie bars are
allowed), and only when every symbol is in the table and its space-separated
chunks pair with the words of ``text`` (espeak-ng writes "on the" as one
chunk); otherwise, and with neither, each word's pronunciation comes from the dictionary
(the aligner picks whichever dictionary variant fits the recording best), and
a word the dictionary does not hold is pronounced by espeak-ng (``en-us``).

Answer::

    {"words":  [{"word": "light", "start_ms": .., "end_ms": .., "score": 0..1}],
     "phones": [{"expected": "L", "heard": "R", "start_ms": .., "end_ms": ..,
                 "score": 0..1, "ok": false, "word": 0, "free": "R"}],
     "overall": 0..1, "fit": 0..1, "gop": 3.1, "outside": 0.0,
     "heard": "R AY T", "timing_ms": {...}}

``heard`` of a phone is null when it was flagged but no substitute fitted
better; ``free`` is what the free phone recogniser heard over the span (for
information only).  Times are in ms from the start of the recording.

or ``{"error": "..."}``.  The exit status is 0 for an answer and 1 for an
error, in one-shot mode; ``--serve`` always answers and keeps going.

How a phone is judged (README.md has the measurements behind the numbers):

1. Forced alignment of the expected phones (``set_align_text``, then
   ``set_alignment``) gives each phone's time span and its acoustic cost per
   10 ms frame.  PocketSphinx scores every frame relative to the best-scoring
   senone of the whole model, so 0 is a perfect fit and larger is worse.
2. Substitution test: the alignment is redone with that one phone replaced by
   each phone a Korean speaker is likely to say instead (``CONFUSIONS``) and
   by the phone the free phone recogniser heard over the span.  Alignment
   scores are log-likelihoods of the whole recording, so the gain
   ``score(with substitute) - score(as expected)`` is a likelihood ratio.
3. Free phone recognition (allphone search with the phone language model,
   lw 2.0, beams 1e-20) over the same audio gives the "free" label of each
   span.  On its own it is too noisy to judge a phone (it hears D for F or T
   for TH in correct speech), so it only proposes a substitute for step 2 and
   is reported for information.

Both numbers are put on one scale with percentiles measured on 1,203
recordings of 401 correctly pronounced words (three synthetic voices; no
recordings of real learners were available, so recalibrate on them):
``e_cost = (cost - p50) / (p95 - p50)`` of that phone (``COST_LIMITS``) and
``e_gain = (gain - p50) / (p95 - p50)`` of that substitution
(``GAIN_LIMITS``).  Evidence ``e = max(e_cost, e_gain)``; a phone is flagged
(``ok: false``) when ``e > threshold`` (1.0 by default: worse than 95% of
correct speech on either test).  Its score is ``1 / (1 + exp(4 (e -
threshold)))``, so a flagged phone scores under 0.5.  ``heard`` is the
substitute that fits better than the expected phone, or null when nothing
fits better (the phone is just poor).

``overall`` is the mean phone score times a fit factor for the whole
recording, ``1 / (1 + exp((gop - 20) / 3))``, times a linear penalty when
more than 30% of the recognised speech lies outside the aligned phones
(``outside``).  ``gop`` is the forced alignment's cost of the whole
recording minus the free recognition's cost, per frame of speech: about 2
for correct speech (95% under 17), median 25 when the recording is another
word; ``outside`` is 0.04 (median) for correct speech and 0.57 for another
word.
"""

import argparse
import json
import math
import os
import random
import struct
import sys
import time
from array import array

RATE = 16000          # the acoustic model's sample rate
FRAME_MS = 10         # PocketSphinx computes one feature frame per 10 ms
PAD_MS = 100          # quiet padding added around the recording (see pad())

# The 39 phones of the en-us acoustic model (CMU dictionary ARPAbet without
# stress digits).  SIL and the noise phones are left out on purpose.
PHONES = frozenset(
    "AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R "
    "S SH T TH UH UW V W Y Z ZH".split()
)

# Substitutes tried for each expected phone: typical errors of Korean speakers
# of English (liquids, labio-dental and dental fricatives, z, tense/lax
# vowels), plus their reverse (hypercorrection).  The phone the free
# recogniser heard is tried as well, so other substitutions can still show.
CONFUSIONS = {
    "L": ["R"], "R": ["L"],
    "V": ["B"], "B": ["V"],
    "F": ["P", "HH"], "P": ["F"],
    "TH": ["S", "T"], "DH": ["D", "Z"],
    "Z": ["JH", "S"], "JH": ["Z"], "ZH": ["JH"],
    "S": ["SH", "TH"], "SH": ["S"],
    "IH": ["IY"], "IY": ["IH"],
    "UH": ["UW"], "UW": ["UH"],
    "EH": ["AE"], "AE": ["EH"],
}

# Per-frame alignment cost of each phone in correctly pronounced words:
# (median, 95th percentile).  Phones seen fewer than 20 times use
# DEFAULT_COST.  Measured with this script's settings (see README.md).
COST_LIMITS = {
    "AA": (8, 26), "AE": (9, 21), "AH": (14, 57), "AO": (6, 20), "AW": (10, 27), "AY": (9, 36),
    "B": (10, 54), "CH": (23, 96), "D": (21, 66), "DH": (14, 38), "EH": (10, 44), "ER": (16, 47),
    "EY": (10, 28), "F": (22, 59), "G": (27, 103), "HH": (25, 74), "IH": (13, 38), "IY": (9, 33),
    "JH": (12, 46), "K": (37, 131), "L": (11, 36), "M": (19, 109), "N": (18, 60), "NG": (27, 58),
    "OW": (7, 21), "P": (34, 89), "R": (12, 48), "S": (14, 68), "SH": (12, 72), "T": (34, 115),
    "TH": (13, 57), "UH": (16, 40), "UW": (16, 37), "V": (42, 110), "W": (7, 24), "Y": (7, 23),
    "Z": (15, 66),
}
DEFAULT_COST = (15, 69)

# Gain of each substitution in correctly pronounced words: (median, 95th
# percentile, at least 50).  A large median (V>B, Z>S, AE>EH) means the model
# itself hardly tells the two phones apart.  Other substitutions (from the
# free recogniser) use DEFAULT_GAIN.
GAIN_LIMITS = {
    ("L", "R"): (-415, 50), ("R", "L"): (-183, 242), ("V", "B"): (79, 376), ("B", "V"): (-361, 50),
    ("F", "P"): (-6, 218), ("F", "HH"): (-78, 163), ("P", "F"): (-99, 231), ("TH", "S"): (-189, 63),
    ("TH", "T"): (-63, 266), ("DH", "D"): (-145, 247), ("DH", "Z"): (-368, 50), ("Z", "JH"): (-243, 166),
    ("Z", "S"): (21, 215), ("JH", "Z"): (-357, 50), ("S", "SH"): (-156, 50), ("S", "TH"): (-47, 151),
    ("SH", "S"): (-127, 96), ("IH", "IY"): (-220, 154), ("IY", "IH"): (-162, 186), ("UH", "UW"): (-163, 159),
    ("UW", "UH"): (-46, 392), ("EH", "AE"): (-80, 150), ("AE", "EH"): (12, 299),
}
DEFAULT_GAIN = (14, 448)

MAX_TEXT_CHARS = 300  # a phrase, not a paragraph
MAX_PHONES = 80       # each phone costs a few alignments of the whole take
THRESHOLD = 1.0       # evidence above which a phone is flagged (request "threshold")
STEEPNESS = 4.0       # slope of the phone score around the threshold
GOP_MID = 20.0        # whole-recording gop at which the fit factor is 0.5
GOP_WIDTH = 3.0
OUTSIDE_OK = 0.3      # share of speech outside the aligned phones that is normal

# espeak-ng IPA (``espeak-ng -q --ipa -v en-us``) to ARPAbet.  Longest match
# first; stress marks and the length mark are dropped; a syllabic consonant
# (U+0329) becomes AH + consonant, as in the CMU dictionary.  Each entry is
# (IPA, ARPAbet phones).
IPA_TO_ARPABET = [
    # r-coloured vowels and vowel + r (the r is part of ER in ARPAbet)
    ("ɜːɹ", ["ER"]), ("ɚɹ", ["ER"]), ("ɜː", ["ER"]), ("ɝ", ["ER"]), ("ɚ", ["ER"]),
    ("ɜɹ", ["ER"]), ("ɜ", ["ER"]),
    ("iəɹ", ["IH", "R"]),
    # diphthongs
    ("aɪ", ["AY"]), ("aʊ", ["AW"]), ("eɪ", ["EY"]), ("oʊ", ["OW"]), ("ɔɪ", ["OY"]),
    ("əʊ", ["OW"]),
    # affricates
    ("tʃ", ["CH"]), ("dʒ", ["JH"]), ("ʧ", ["CH"]), ("ʤ", ["JH"]),
    # long and short vowels
    ("iː", ["IY"]), ("i", ["IY"]), ("ɪ", ["IH"]), ("ᵻ", ["IH"]),
    ("iə", ["IY", "AH"]),
    ("eə", ["EH"]), ("e", ["EH"]), ("ɛ", ["EH"]), ("æ", ["AE"]), ("a", ["AE"]),
    ("ɑː", ["AA"]), ("ɑ", ["AA"]), ("ɒ", ["AA"]),
    ("ɔː", ["AO"]), ("ɔ", ["AO"]), ("oː", ["AO"]), ("o", ["OW"]),
    ("uː", ["UW"]), ("u", ["UW"]), ("ʊ", ["UH"]),
    ("ʌ", ["AH"]), ("ə", ["AH"]), ("ɐ", ["AH"]),
    # consonants
    ("p", ["P"]), ("b", ["B"]), ("t", ["T"]), ("d", ["D"]), ("k", ["K"]),
    ("ɡ", ["G"]), ("g", ["G"]),
    ("f", ["F"]), ("v", ["V"]), ("θ", ["TH"]), ("ð", ["DH"]),
    ("s", ["S"]), ("z", ["Z"]), ("ʃ", ["SH"]), ("ʒ", ["ZH"]), ("h", ["HH"]),
    ("m", ["M"]), ("n", ["N"]), ("ŋ", ["NG"]),
    ("l", ["L"]), ("ɫ", ["L"]), ("ɹ", ["R"]), ("r", ["R"]), ("w", ["W"]), ("j", ["Y"]),
    # allophones the CMU dictionary writes as phonemes
    ("ɾ", ["T"]),      # flap: "water" (T in the dictionary; "ladder" has D)
    ("ʔ", ["T"]),      # glottal stop: "button"
    ("x", ["K"]),      # "loch"
]
# Stress, length, syllable and linking marks, and their ASCII stand-ins (' and :);
# aspiration and other modifier letters, and combining diacritics, are dropped too
# (see ipa_to_arpabet).
_IPA_IGNORED = set("ˈˌːˑ.-‿ \t\n()':ʰʷʲˀ")
_SYLLABIC = "\u0329"


class RequestError(Exception):
    """A problem with the request or its recording, reported as {"error": ...,
    "kind": ...}: "silent" and "too_short" for takes with no speech to score,
    "request" for the rest."""

    def __init__(self, message, kind="request"):
        super().__init__(message)
        self.kind = kind


# ---------------------------------------------------------------------------
# IPA to ARPAbet


def strip_enclosure(ipa):
    """The transcription inside one pair of enclosing /…/ or […], if any."""
    ipa = ipa.strip()
    for open_, close in (("/", "/"), ("[", "]")):
        if len(ipa) >= 2 and ipa[0] == open_ and ipa[-1] == close:
            return ipa[1:-1].strip()
    return ipa


def ipa_to_arpabet(ipa):
    """Convert espeak-ng IPA to ARPAbet.  Returns (phones, unmapped symbols)."""
    phones, unmapped = [], []
    # Diacritics (tie bars of t͡ʃ, unreleased t̚, nasal ã) are dropped, so the
    # letters they sit on match; of alternatives ("/təˈmeɪtoʊ, təˈmɑːtoʊ/"), the first.
    import unicodedata
    ipa = strip_enclosure(ipa).split(",")[0]
    ipa = "".join(c for c in unicodedata.normalize("NFD", ipa)
                  if unicodedata.category(c) != "Mn" or c == _SYLLABIC)
    i = 0
    while i < len(ipa):
        ch = ipa[i]
        if ch in _IPA_IGNORED:
            i += 1
            continue
        for sym, arpa in IPA_TO_ARPABET:
            if ipa.startswith(sym, i):
                i += len(sym)
                if ipa.startswith(_SYLLABIC, i):      # n̩ l̩ m̩: AH N, AH L, AH M
                    phones.append("AH")
                    i += 1
                # espeak doubles linking r ("ʊɹɹ"); one R is enough
                if not (arpa == ["R"] and phones and phones[-1] in ("R", "ER")):
                    phones.extend(arpa)
                break
        else:
            unmapped.append(ch)
            i += 1
    return phones, unmapped


# ---------------------------------------------------------------------------
# Audio: read any PCM/float WAV, mix to mono, resample to 16 kHz


def read_wav(path):
    """Samples of a WAV file as 16 kHz mono int16 (array('h'))."""
    if not isinstance(path, str) or not path:
        raise RequestError('the request needs "wav": the path of a WAV file')
    if not os.path.isfile(path):
        raise RequestError(f"no such file: {path}")
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 12 or blob[:4] != b"RIFF" or blob[8:12] != b"WAVE":
        raise RequestError(f"not a WAV file (no RIFF/WAVE header): {path}")
    fmt, data, pos = None, None, 12
    while pos + 8 <= len(blob):
        cid, size = blob[pos:pos + 4], struct.unpack("<I", blob[pos + 4:pos + 8])[0]
        body = blob[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            fmt = body
        elif cid == b"data":
            data = body          # a truncated last chunk is read as far as it goes
        pos += 8 + size + (size & 1)
    if fmt is None or len(fmt) < 16 or data is None:
        raise RequestError(f"not a usable WAV file (no fmt or data chunk): {path}")
    tag, channels, rate, _, align, bits = struct.unpack("<HHIIHH", fmt[:16])
    if tag == 0xFFFE and len(fmt) >= 26:          # WAVE_FORMAT_EXTENSIBLE
        tag = struct.unpack("<H", fmt[24:26])[0]
    width = bits // 8
    if channels < 1 or rate < 4000 or width < 1 or align != width * channels:
        raise RequestError(f"unsupported WAV layout ({channels} ch, {rate} Hz, {bits} bit)")
    if tag == 1 and width == 1:
        samples = [(b - 128) << 8 for b in data]
    elif tag == 1 and width == 2:
        samples = array("h", data[:len(data) // 2 * 2])
        if sys.byteorder == "big":
            samples.byteswap()
    elif tag == 1 and width in (3, 4):
        n = len(data) // width
        samples = [int.from_bytes(data[k * width:(k + 1) * width], "little", signed=True)
                   >> (bits - 16) for k in range(n)]
    elif tag == 3 and width in (4, 8):
        code = "<%d%s" % (len(data) // width, "f" if width == 4 else "d")
        samples = [max(-32768, min(32767, int(v * 32767)))
                   for v in struct.unpack(code, data[:len(data) // width * width])]
    else:
        raise RequestError(f"unsupported WAV encoding (format {tag}, {bits} bit)")
    if channels > 1:                                 # mix down to mono
        samples = [sum(samples[k:k + channels]) // channels
                   for k in range(0, len(samples) - channels + 1, channels)]
    return resample(samples, rate)


def resample(x, rate):
    """Resample to 16 kHz with a Hann-windowed sinc low-pass (pure Python).

    The ratio is made rational (up/down), the filter taps are computed once
    per output phase, and each output sample is one dot product."""
    if rate == RATE:
        return array("h", x)
    g = math.gcd(rate, RATE)
    up, down = RATE // g, rate // g
    phases = up if up <= 2048 else 2048          # odd rates: quantise the phase
    cutoff = min(1.0, RATE / rate) * 0.92        # of the input Nyquist rate
    half = int(math.ceil(10 / cutoff))           # taps each side of the centre
    taps = []
    for ph in range(phases):
        frac = ph / phases
        row = []
        for k in range(-half + 1, half + 1):
            d = k - frac
            s = cutoff if d == 0 else math.sin(math.pi * cutoff * d) / (math.pi * d)
            row.append(s * (0.5 + 0.5 * math.cos(math.pi * d / half)))
        taps.append(row)
    n_in = len(x)
    padded = [0] * half + list(x) + [0] * (half + 1)
    out = array("h")
    n_out = n_in * up // down
    for i in range(n_out):
        base, rem = divmod(i * down, up)  # output i sits at input base + rem/up
        row = taps[rem * phases // up]
        start = base + 1                  # padded index of x[base - half + 1]
        acc = sum(map(float.__mul__, row, padded[start:start + 2 * half]))
        out.append(-32768 if acc < -32768 else 32767 if acc > 32767 else int(acc))
    return out


def pad(samples):
    """Add PAD_MS of faint, fixed pseudo-random noise before and after.

    Recordings that start or end right on the speech (synthesised ones do)
    make the alignment grammar miss its final state; padding gives the model
    the leading and trailing silence it expects.  Fixed seed: same answer for
    the same file."""
    rng = random.Random(0)
    n = RATE * PAD_MS // 1000
    noise = array("h", (rng.randint(-3, 3) for _ in range(n)))
    return noise + samples + noise


def speech_peak_dbfs(samples):
    """Loudest 10 ms frame, in dB relative to full scale."""
    step = RATE * FRAME_MS // 1000
    best = 0.0
    for k in range(0, max(1, len(samples) - step + 1), step):
        frame = samples[k:k + step]
        if frame:
            best = max(best, sum(v * v for v in frame) / len(frame))
    return 10 * math.log10(best / 32768.0 ** 2) if best > 0 else -120.0


# ---------------------------------------------------------------------------
# Scoring


def logistic(x):
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, x))))


class Scorer:
    """Holds the two decoders; one instance serves any number of requests."""

    def __init__(self):
        from pocketsphinx import Decoder, get_model_path
        # Alignment: no language model.  Wide beams and no lattice best-path
        # pass: with the defaults the aligner gives up (or returns only
        # silence) on recordings that fit the expected phones badly.
        self.aligner = Decoder(lm=None, samprate=RATE, loglevel="FATAL",
                               beam=1e-100, pbeam=1e-100, wbeam=1e-80,
                               bestpath=False)
        # Free phone recognition with the phone language model.
        self.phone_rec = Decoder(allphone=get_model_path("en-us/en-us-phone.lm.bin"),
                                 lw=2.0, beam=1e-20, pbeam=1e-20,
                                 samprate=RATE, loglevel="FATAL")
        self.logmath = self.phone_rec.get_logmath()
        self._words = {}

    # -- requests ----------------------------------------------------------

    def handle(self, request):
        """Answer one request (a dict); errors become {"error": ...}."""
        try:
            return self.score(request)
        except RequestError as e:
            return {"error": str(e), "kind": e.kind}
        except RuntimeError as e:                  # PocketSphinx failures
            return {"error": f"recognizer failed: {e}", "kind": "internal"}
        except Exception as e:                     # a bug: answer it, keep serving
            return {"error": f"the scorer failed: {type(e).__name__}: {e}", "kind": "internal"}

    def score(self, request):
        t0 = time.perf_counter()
        if not isinstance(request, dict):
            raise RequestError("the request must be a JSON object")
        text = request.get("text")
        if not isinstance(text, str) or not text.strip():
            raise RequestError('the request needs "text": the word or phrase to say')
        if len(text) > MAX_TEXT_CHARS:
            raise RequestError(f"the text is {len(text)} characters long; words and phrases "
                               f"of up to {MAX_TEXT_CHARS} are scored")
        words = normalise_words(text)
        if not words:
            raise RequestError(f"no words in text: {text!r}")
        debug = bool(request.get("debug"))
        threshold = request.get("threshold", THRESHOLD)
        if not isinstance(threshold, (int, float)) or isinstance(threshold, bool):
            raise RequestError('"threshold" must be a number (default 1.0)')
        samples = read_wav(request.get("wav"))
        if len(samples) < RATE // 10:
            raise RequestError("the recording is too short (under 0.1 s)", "too_short")
        if speech_peak_dbfs(samples) < -50:
            raise RequestError("no speech: the recording is silent", "silent")
        data = pad(samples).tobytes()
        t_audio = time.perf_counter()

        free = self.free_phones(data)
        if not any(p not in ("SIL", "+NSN+", "+SPN+") for p, _, _, _ in free):
            raise RequestError("no speech detected in the recording", "silent")

        prons, labels = self.expected(request, words, data)
        if sum(len(p) for p in prons) > MAX_PHONES:
            raise RequestError(f"the text has over {MAX_PHONES} sounds; words and phrases "
                               "are scored phone by phone, sentences are not")
        try:
            total, spans = self.align(data, prons)
        except RuntimeError:
            # The expected phones cannot be laid over the take at all: it is not these
            # words (or not speech the model knows).
            return no_fit(prons, labels, free, t0)
        t_decode = time.perf_counter()

        phones = []
        k = 0
        for wi, pron in enumerate(prons):
            for pi, expected in enumerate(pron):
                start, dur, phone_score = spans[k]
                k += 1
                heard_free = majority(free, start, start + dur)
                gains = {}
                for q in candidates(expected, heard_free):
                    alt = [list(p) for p in prons]
                    alt[wi][pi] = q
                    try:
                        gains[q] = self.align(data, alt)[0] - total
                    except RuntimeError:       # the substitute does not fit at all
                        continue
                cost = -phone_score / max(1, dur)
                evidence, best = judge(expected, cost, gains)
                flagged = evidence > threshold
                score = logistic(STEEPNESS * (threshold - evidence))
                if not flagged:
                    heard = expected
                elif best is not None and gains[best] > 0:
                    heard = best                  # a substitute fits better
                else:
                    heard = None                  # poor, but nothing fits better
                phones.append({
                    "expected": expected,
                    "heard": heard,
                    "start_ms": ms(start), "end_ms": ms(start + dur),
                    "score": round(score, 3),
                    "ok": not flagged,
                    "word": wi,
                    "free": heard_free,
                })
                if debug:
                    phones[-1].update(gains=gains, cost=round(cost, 1),
                                      evidence=round(evidence, 2))
        gop = recording_gop(total, free, spans)
        outside = speech_outside(free, spans)
        fit = logistic((GOP_MID - gop) / GOP_WIDTH)
        # Speech the aligner left outside the word (another or a longer word,
        # or a failed alignment): up to 30% is normal, all of it scores 0.
        fit *= min(1.0, max(0.0, 1.0 - (outside - OUTSIDE_OK) / (1.0 - OUTSIDE_OK)))
        word_out = []
        k = 0
        for wi, pron in enumerate(prons):
            mine = phones[k:k + len(pron)]
            k += len(pron)
            word_out.append({
                "word": labels[wi],
                "start_ms": mine[0]["start_ms"], "end_ms": mine[-1]["end_ms"],
                "score": round(fit * sum(p["score"] for p in mine) / len(mine), 3),
            })
        overall = fit * sum(p["score"] for p in phones) / len(phones)
        t_end = time.perf_counter()
        return {
            "words": word_out,
            "phones": phones,
            "overall": round(overall, 3),
            "fit": round(fit, 3),
            "gop": round(gop, 1),
            "outside": round(outside, 2),
            "heard": " ".join(p["heard"] or "?" for p in phones),
            "timing_ms": {"audio": round((t_audio - t0) * 1000),
                          "decode": round((t_decode - t_audio) * 1000),
                          "substitutions": round((t_end - t_decode) * 1000),
                          "total": round((t_end - t0) * 1000)},
        }

    # -- expected phones -----------------------------------------------------

    def expected(self, request, words, data):
        """The expected phones per word, and a label per word."""
        phones = request.get("phones")
        ipa = request.get("ipa")
        if phones is not None:
            if not isinstance(phones, list) or not phones:
                raise RequestError('"phones" must be a non-empty list of ARPAbet phones')
            if all(isinstance(p, list) for p in phones):
                prons = [check_phones(p) for p in phones]
            else:
                prons = [check_phones(phones)]
            return per_word(prons, words)
        if ipa is not None:
            if not isinstance(ipa, str) or not ipa.strip():
                raise RequestError('"ipa" must be a non-empty string')
            chunks = strip_enclosure(ipa).split(",")[0].split()
            prons, unmapped = [], []
            for chunk in chunks:
                arpa, missing = ipa_to_arpabet(chunk)
                unmapped += missing
                if arpa:
                    prons.append(arpa)
            # An IPA with symbols this table lacks, or none at all, is an authoring
            # slip the learner cannot mend: the words' own pronunciation is used.
            if prons and not unmapped and len(prons) == len(words):
                return prons, words
            # Also when espeak-ng joins small words ("on the" → ɔnðə): the chunks do not pair
            # with the words; scored as one unit they align worse (0.38 against 0.81 on
            # one correct take), so each word's own pronunciation is used instead.
        if any(self.aligner.lookup_word(w) is None for w in words):
            # Words the dictionary does not hold (names, new terms): espeak-ng's
            # pronunciation of each, the dictionary's first variant of the others.
            prons = []
            for w in words:
                entry = self.aligner.lookup_word(w)
                prons.append(entry.split() if entry is not None else espeak_phones(w))
            return prons, words
        # Let the aligner choose among the dictionary's variants ("word(2)").
        chosen = words
        try:
            self.aligner.reinit_feat()
            self.aligner.set_align_text(" ".join(words))
            self.aligner.start_utt()
            self.aligner.process_raw(data, full_utt=True)
            self.aligner.end_utt()
            found = [s.word for s in self.aligner.seg() or [] if s.word.split("(")[0] in words]
            if [c.split("(")[0] for c in found] == words:
                chosen = found
        except RuntimeError:            # no variant fits: the first ones, judged below
            pass
        return [self.aligner.lookup_word(c).split() for c in chosen], words

    # -- decoding ------------------------------------------------------------

    def word_name(self, phones):
        """A dictionary entry that holds exactly these phones."""
        key = " ".join(phones)
        name = self._words.get(key)
        if name is None:
            name = "__ckp%d" % len(self._words)
            self.aligner.add_word(name, key, True)
            self._words[key] = name
        return name

    def align(self, data, prons):
        """Force-align the phones; returns (total score, [(start, frames, score)])."""
        names = [self.word_name(p) for p in prons if p]
        # reinit_feat(): the noise and mean estimates carry over between
        # utterances, which makes scores depend on the previous request.
        self.aligner.reinit_feat()
        self.aligner.set_align_text(" ".join(names))
        self.aligner.start_utt()
        self.aligner.process_raw(data, full_utt=True)
        self.aligner.end_utt()
        self.aligner.reinit_feat()
        self.aligner.set_alignment()
        self.aligner.start_utt()
        self.aligner.process_raw(data, full_utt=True)
        self.aligner.end_utt()
        entries = list(self.aligner.get_alignment().phones())
        total = sum(e.score for e in entries)
        spans = [(e.start, e.duration, e.score) for e in entries if e.name != "SIL"]
        return total, spans

    def free_phones(self, data):
        """Free phone recognition: [(phone, first frame, end frame, score)]."""
        self.phone_rec.reinit_feat()
        self.phone_rec.start_utt()
        self.phone_rec.process_raw(data, full_utt=True)
        self.phone_rec.end_utt()
        out = []
        for seg in self.phone_rec.seg():
            score = self.logmath.log(seg.ascore) if seg.ascore > 0 else -10 ** 6
            out.append((seg.word, seg.start_frame, seg.end_frame + 1, score))
        return out



def per_word(prons, words):
    """Phones given per word (a list each) with the words' labels.  When they do not
    pair up one to one (espeak-ng joins small words: "on the" is one chunk, ɔnðə), the
    phrase is scored as one unit, labelled with all of its words."""
    if len(prons) == len(words):
        return prons, words
    return [[p for pron in prons for p in pron]], [" ".join(words)]


def no_fit(prons, labels, free, t0):
    """The answer for a take the expected phones cannot be aligned with: every
    phone flagged, nothing heard in its place, scores 0."""
    phones = [{"expected": p, "heard": None, "start_ms": 0, "end_ms": 0, "score": 0.0,
               "ok": False, "word": wi, "free": None}
              for wi, pron in enumerate(prons) for p in pron]
    total = round((time.perf_counter() - t0) * 1000)
    return {
        "words": [{"word": labels[wi], "start_ms": 0, "end_ms": 0, "score": 0.0}
                  for wi in range(len(prons))],
        "phones": phones,
        "overall": 0.0, "fit": 0.0, "gop": None, "outside": 1.0,
        "heard": " ".join(p for p, _, _, _ in free if p not in ("SIL", "+NSN+", "+SPN+")),
        "timing_ms": {"total": total},
    }


def espeak_phones(word):
    """ARPAbet phones of espeak-ng's US English pronunciation of one word."""
    import shutil
    import subprocess
    program = shutil.which("espeak-ng")
    if program is None:
        raise RequestError(f"not in the pronouncing dictionary: {word} (and espeak-ng, "
                           'which would pronounce it, is not installed; send "ipa" for it)')
    try:
        out = subprocess.run([program, "-q", "--ipa", "-v", "en-us", "--", word],
                             capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError) as e:
        raise RequestError(f"espeak-ng could not pronounce {word!r}: {e}") from e
    phones, unmapped = ipa_to_arpabet(out)
    if unmapped or not phones:
        raise RequestError(f"not in the pronouncing dictionary: {word} (send \"ipa\" for it)")
    return phones


def recording_gop(total, free, spans):
    """Goodness of fit of the whole recording to the expected phones.

    The forced alignment's cost of the whole recording (silence included, so
    speech that the aligner had to call silence counts against it) minus the
    free phone recognition's cost of the same recording, per frame of speech
    (frames inside the aligned phones or recognised as a phone)."""
    free_total = sum(score for _, _, _, score in free)
    speech = set()
    for start, dur, _ in spans:
        speech.update(range(start, start + dur))
    for p, s, e, _ in free:
        if p not in ("SIL", "+NSN+", "+SPN+"):
            speech.update(range(s, e))
    return (free_total - total) / max(1, len(speech))


def speech_outside(free, spans):
    """Share of the recognised speech frames that lie outside the aligned
    phones: speech the aligner had to call silence (extra words)."""
    inside = set()
    for start, dur, _ in spans:
        inside.update(range(start, start + dur))
    speech = set()
    for p, s, e, _ in free:
        if p not in ("SIL", "+NSN+", "+SPN+"):
            speech.update(range(s, e))
    return len(speech - inside) / max(1, len(speech))


def judge(expected, cost, gains):
    """Evidence that a phone was mispronounced, and the best substitute.

    Evidence 1.0 means "as bad as the worst 5% of correct speech" on the
    alignment cost or on the substitution gain, whichever is worse."""
    c50, c95 = COST_LIMITS.get(expected, DEFAULT_COST)
    evidence = (cost - c50) / (c95 - c50)
    best, best_e = None, None
    for q, gain in gains.items():
        g50, g95 = GAIN_LIMITS.get((expected, q), DEFAULT_GAIN)
        e = (gain - g50) / (g95 - g50)
        if best_e is None or e > best_e:
            best, best_e = q, e
    if best_e is not None:
        evidence = max(evidence, best_e)
    return evidence, best


def candidates(expected, heard_free):
    out = list(CONFUSIONS.get(expected, []))
    if heard_free in PHONES and heard_free != expected and heard_free not in out:
        out.append(heard_free)
    return out


def majority(free, start, end):
    """The free-recognition phone that covers most of [start, end)."""
    best, most = "SIL", 0
    cover = {}
    for p, s, e, _ in free:
        o = min(end, e) - max(start, s)
        if o > 0:
            cover[p] = cover.get(p, 0) + o
            if cover[p] > most:
                best, most = p, cover[p]
    return best


def ms(frame):
    return max(0, frame * FRAME_MS - PAD_MS)


def normalise_words(text):
    """Lower-case dictionary words; punctuation other than ' is dropped."""
    out = []
    for raw in text.lower().replace("’", "'").split():
        w = "".join(c for c in raw if c.isalnum() or c == "'").strip("'")
        if w:
            out.append(w)
    return out


def check_phones(phones):
    out = []
    for p in phones:
        if not isinstance(p, str):
            raise RequestError('"phones" must hold ARPAbet strings like "AE"')
        q = p.strip().upper().rstrip("012")      # stress digits are allowed
        if q not in PHONES:
            raise RequestError(f"unknown ARPAbet phone: {p!r}")
        out.append(q)
    if not out:
        raise RequestError('"phones" must not be empty')
    return out


# ---------------------------------------------------------------------------
# Command line


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--serve", action="store_true",
                    help="answer one JSON request per input line until end of input")
    ap.add_argument("--ipa", metavar="IPA",
                    help="print the ARPAbet for an espeak-ng IPA string and exit")
    args = ap.parse_args(argv)

    if args.ipa is not None:
        phones, unmapped = ipa_to_arpabet(args.ipa)
        print(json.dumps({"phones": phones, "unmapped": unmapped}, ensure_ascii=False))
        return 0

    t0 = time.perf_counter()
    try:
        scorer = Scorer()
    except Exception as e:                          # missing package or model
        print(json.dumps({"error": f"cannot load PocketSphinx: {e}"}), flush=True)
        return 1
    load_ms = round((time.perf_counter() - t0) * 1000)

    if args.serve:
        print(json.dumps({"ready": True, "load_ms": load_ms}), flush=True)
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                request = json.loads(line)
            except ValueError as e:
                answer = {"error": f"the request is not JSON: {e}"}
            else:
                answer = scorer.handle(request)
            print(json.dumps(answer), flush=True)
        return 0

    try:
        request = json.loads(sys.stdin.read())
    except ValueError as e:
        answer = {"error": f"the request is not JSON: {e}"}
    else:
        answer = scorer.handle(request)
        if "error" not in answer:
            answer["timing_ms"]["load"] = load_ms
    print(json.dumps(answer), flush=True)
    return 1 if "error" in answer else 0


if __name__ == "__main__":
    sys.exit(main())
