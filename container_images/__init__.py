"""Container images of the Rasa server and the action server, built with buildah (``make images``).

``context`` hashes the build context the way ``.dockerignore`` selects it, ``base`` provides the base image
(pulled, or made with debootstrap when no registry can be reached), ``buildah`` runs the buildah commands and
``build`` builds each image unless an image of the same inputs already exists.
"""
