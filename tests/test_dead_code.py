"""No dead code in the product: vulture finds nothing outside tests/dead_code_allowlist.py."""
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Every package and top-level module of the project, found rather than listed, so a new one is checked too.
PRODUCT = sorted(path.name for path in PROJECT_ROOT.iterdir() if not path.name.startswith((".", "tests"))
                 and (path.suffix == ".py" or path.is_dir() and any(path.glob("*.py"))))


def test_vulture_finds_no_unused_code_beyond_the_allow_list():
    result = subprocess.run([sys.executable, "-m", "vulture", *PRODUCT, "tests/dead_code_allowlist.py",
                             "--min-confidence", "60"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, "unused code (delete it, or allow it with a reason):\n" + result.stdout + result.stderr


def test_the_allow_list_names_only_what_vulture_would_report():
    # An entry that no longer matches anything is stale: the check would no longer guard that name.
    result = subprocess.run([sys.executable, "-m", "vulture", *PRODUCT, "--min-confidence", "60",
                             "--make-whitelist"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    reported = {line.split("#")[0].strip() for line in result.stdout.splitlines() if line.strip()}
    allowed = {line.split("#")[0].strip() for line in (PROJECT_ROOT / "tests/dead_code_allowlist.py").read_text().splitlines()
               if line.strip() and not line.lstrip().startswith(("#", '"', "A new")) and line.split("#")[0].strip()}
    assert allowed <= reported, allowed - reported
