"""The pages, one module per part of the workbench, each with its ``router``
(:mod:`veilleur.web.routing`); :data:`veilleur.web.app.PAGE_MODULES` lists them."""
