-- PostgreSQL has no CLOB; the shared migrations use it for long text, so here it is TEXT under that name.
CREATE DOMAIN clob AS TEXT;
