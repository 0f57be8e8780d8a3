"""Knowledge base: corpus, chunking, document store, index backends, ranking, citations."""
