"""The project's own build steps: checking the virtualenv after ``make install`` (:mod:`devtools.environment`)
and training the model only when its inputs changed (:mod:`devtools.training`, ``make train``)."""
