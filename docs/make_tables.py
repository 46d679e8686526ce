"""Write docs/tables.md from the code (il1rn_annot.frames.tables_markdown): run after a column changes."""

from pathlib import Path

from il1rn_annot.frames import tables_markdown

if __name__ == "__main__":
    target = Path(__file__).resolve().with_name("tables.md")
    target.write_text(tables_markdown(), encoding="utf-8")
    print(f"wrote {target}")
