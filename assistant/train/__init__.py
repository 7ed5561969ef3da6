"""`assistant train`: fit the answer models on public data, and report them on data they
never saw.

The steps, each in its own module: `split` (which articles are fitted on and which are
held out), `examples` (questions asked of a real index, candidates labelled), `perturb`
(edited questions that look answerable but are not), `reader` (the cross-encoder),
`scorer` (the calibrated answer scorer and the abstention threshold), `card` (what was
done, on what, and how it scored).
"""
