"""placeholder"""


def main(full: bool = False) -> int:
    return 1
