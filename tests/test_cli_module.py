import subprocess
import sys


def test_python_dash_m_lom_bot_is_the_same_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "lom_bot", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "jobs" in result.stdout and "audit" in result.stdout
