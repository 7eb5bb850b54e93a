"""Publishing: ``python -m gratitude_press deploy`` puts ``output/`` online.

Three targets, chosen by ``DEPLOY`` in the publish settings (``settings.py``): rsync
over SSH, a git branch for GitHub or Codeberg Pages (ghp-import) and S3-compatible
object storage (boto3). ``core.py`` is the pure part (what changed, the upload
order, Content-Type and Cache-Control, the rsync command line); ``local.py`` reads
the built site; ``rsync.py``, ``git.py`` and ``s3.py`` talk to the targets;
``cli.py`` is the command. The concern connects no Pelican signal: its settings are
read with every other concern's (``config.py``), so the build checks them too.
"""
