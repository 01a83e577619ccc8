"""Helpers of the graphviz package (as graphviz 0.20.1's _tools)."""


def mapping_items(mapping):
    """The items of mapping, sorted when it is a plain dict (as graphviz does, for a stable DOT text)."""
    result = iter(mapping.items())
    if type(mapping) is dict:
        result = iter(sorted(result))
    return result
