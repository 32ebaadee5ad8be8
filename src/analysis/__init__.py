"""Reference analysis package for the written question 'Digitale opleidingen – Evolutie'.

Kept free of imports: the kernel launcher (``python -m analysis.pipeline.forkserver attach``) imports this
package and must start in milliseconds.
"""

__version__ = "0.1.0"
