"""Large hostile inputs, generated at test time (never committed): a long single line,
100,000 headings, a million digits, piles of unbalanced quotes and qualifiers.

Each generator writes a file of about `size` bytes (or `count` items) and returns its
path. Text comes from the repository's own digests so that it looks like the real
thing: body paragraphs full of figures, headings in the shapes the rules know.
"""
import glob
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def body_text():
    """The body paragraphs of every UTF-8 digest under samples/ and tests/data/,
    without headings or markup, joined with no line break."""
    paragraphs = []
    for path in sorted(glob.glob(os.path.join(ROOT, "samples", "*.txt")) +
                       glob.glob(os.path.join(ROOT, "tests", "data", "*.txt"))):
        try:
            text = open(path, encoding="utf-8-sig").read()
        except UnicodeDecodeError:
            continue  # the Big5 digest
        for line in text.splitlines():
            line = line.strip()
            if len(line) > 40 and line[0] not in "#■【*-—":
                paragraphs.append(line)
    return "".join(paragraphs)


def repeat_to(unit, size):
    """`unit` repeated to `size` bytes of UTF-8, cut at a character boundary."""
    data = unit.encode("utf-8")
    whole = data * (size // len(data) + 1)
    return whole[:size].decode("utf-8", "ignore").encode("utf-8")


def write(folder, name, data):
    path = os.path.join(folder, name)
    with open(path, "wb") as fh:
        fh.write(data)
    return path


def long_line(folder, size):
    """Body text of the digests, `size` bytes on one line with no line break."""
    return write(folder, "long-line.txt", repeat_to(body_text(), size))


def headings(folder, count):
    """`count` unit headings in a row (markdown, ■ and 【】 forms), no body text."""
    orgs = ["吉阳区委", "海棠区委", "天涯区委", "崖州区委", "育才生态区工委", "市教育局党委", "市委直属机关工委"]
    names = ["孙德震", "鲁正兰", "王大明", "李小红", "陈建国", "林一鸣"]
    shapes = ["### {o}书记{n}: 着力构建“大党建”体系", "■{o}书记 {n}", "【{o}书记{n}】"]
    lines = [shapes[i % 3].format(o=orgs[i % 7], n=names[i % 6]) for i in range(count)]
    return write(folder, "headings.txt", ("\n".join(lines) + "\n").encode("utf-8"))


def digits(folder, count):
    """One figure of `count` digits in a sentence: 去年发放慰问金123…元。"""
    figure = ("1234567890" * (count // 10 + 1))[:count]
    return write(folder, "digits.txt", ("去年，发放慰问金" + figure + "元。\n").encode("utf-8"))


def unbalanced_quotes(folder, size):
    """Opening quotes and title marks that never close, between figures."""
    return write(folder, "quotes.txt", repeat_to("去年，“发放慰问金39.6万元，《组建突击队54支、「", size))


def repeated_qualifiers(folder, size):
    """Qualifier words piled up before each figure: 约近超过不少于…100余个。"""
    return write(folder, "qualifiers.txt", repeat_to("约近超过不少于将近大约至少多于" * 20 + "100余个，", size))


def long_heading(folder, size):
    """A markdown heading line of `size` bytes, then one paragraph."""
    heading = "### 吉阳区委书记孙德震: " + repeat_to("着力构建吉阳“大党建”体系", size).decode("utf-8")
    return write(folder, "long-heading.txt", (heading + "\n\n去年，发放慰问金39.6万元。\n").encode("utf-8"))


def many_lines(folder, size):
    """Short lines, each its own paragraph: 去年新增1个。"""
    return write(folder, "many-lines.txt", repeat_to("去年，新增党员突击队1支。\n", size))


def figures_without_sentence_end(folder, size):
    """One figure after another, commas between them and no sentence end anywhere: a
    long paragraph must be cut between figures, never inside one."""
    return write(folder, "no-sentence-end.txt", repeat_to("发放慰问金39.6万元，", size))


def full_width_figures_without_sentence_end(folder, size):
    """The same with full-width figures whose thousands separator is the full-width
    comma (１２，３４５．６万元): no cut after that comma either."""
    return write(folder, "no-sentence-end-full-width.txt", repeat_to("发放慰问金１２，３４５．６万元，", size))


def many_units(folder, size):
    """The UTF-8 digests of samples/ and tests/data/ one after another to `size` bytes
    (cut at a line end): thousands of units, none of them large."""
    texts = []
    for path in sorted(glob.glob(os.path.join(ROOT, "samples", "*.txt")) +
                       glob.glob(os.path.join(ROOT, "tests", "data", "*.txt"))):
        try:
            texts.append(open(path, encoding="utf-8-sig").read())
        except UnicodeDecodeError:
            continue  # the Big5 digest
    data = repeat_to("\n\n".join(texts) + "\n\n", size)
    return write(folder, "many-units-%d.txt" % size, data[: data.rfind(b"\n") + 1])


GENERATORS = {
    "figures_without_sentence_end": figures_without_sentence_end,
    "full_width_figures_without_sentence_end": full_width_figures_without_sentence_end,
    "long_line": long_line,
    "headings": headings,
    "digits": digits,
    "unbalanced_quotes": unbalanced_quotes,
    "repeated_qualifiers": repeated_qualifiers,
    "long_heading": long_heading,
    "many_lines": many_lines,
    "many_units": many_units,
}
