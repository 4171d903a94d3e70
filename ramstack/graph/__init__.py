"""The access graph (issue 16): who can become whom and reach what, as a picture.

model    Node / Edge / Graph and build_graph (from effective permissions, nothing else)
focus    one principal's neighbourhood (--focus, --depth)
change   the graph of a permission diff: added (green) and removed (red) around what it touches
mermaid, dot, svg, html   one output format each (svg: Graphviz when installed, else a built-in layout)
"""
