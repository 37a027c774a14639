"""The classifier, one module per responsibility; imports run down this list, never up
(tests/test_classifier.py and tests/test_layout.py hold the graph acyclic):

* ``recipe``: the training recipe (:class:`TrainingConfig`, :class:`ColdStart`), passed in.
* ``features``: what the model reads of a paper (text, tokens, conjunctions).
* ``model``: the exported TF-IDF stage (plain arrays, no pickle): scoring, storage.
* ``figures``: one definition of each figure (:class:`Figures`), the F1-best threshold, the
  tables made of them.
* ``encoder``: the sentence encoder (MiniLM in numpy).
* ``training_data``: the examples, read from the list, the labels, decisions and background.
* ``tfidf_stage``: the TF-IDF stage's fits, self-training and export.
* ``cross_validation``: day-whole folds and out-of-fold scores.
* ``embeddings``: the embedding cache.
* ``night_share``: a cold start's list scope, which counts how much of a night to propose.
* ``head``: the encoder stage's stored head and its blend with the TF-IDF opinion.
* ``encoder_stage``: fitting that head (with judged days, or from the list and reviews).
* ``two_stage``: the :class:`Classifier` everything scores with, and its loading.
* ``training``: :func:`train`, the two stages fitted and measured in one call.
* ``batch``, ``evaluation``, ``gate``, ``card``: classifying files, measuring on labelled
  days, promotion, the model card.
* ``forward``: measuring forward in time, each judged day scored by a model trained only on
  what is dated before it.
"""
