"""embed_text.py NAME INPUT OUTPUT: write the file INPUT into the C header
OUTPUT as `static const char NAME[]`, NUL-terminated.

The build uses it to carry a text file inside a binary (gctune runs the
calibration script it embeds, with no installed path to find).  It writes an
array of byte values rather than a string literal: ISO C promises literals of
4095 characters only, and -Wpedantic warns past that.
"""
import os
import sys


def main():
    name, src, dst = sys.argv[1:4]
    with open(src, "rb") as f:
        data = f.read()
    lines = ["/* Generated from %s by scripts/embed_text.py: do not edit. */"
             % os.path.basename(src),
             "static const char %s[] = {" % name]
    for i in range(0, len(data), 20):
        chunk = data[i:i + 20]
        lines.append("    " + ", ".join(str(b if b < 128 else b - 256) for b in chunk) + ",")
    lines.append("    0};")
    with open(dst, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
