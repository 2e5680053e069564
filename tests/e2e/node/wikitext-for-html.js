'use strict';

// Loaded with `mocha --require` by test_mediawiki_api_testing.py for the specs that read a
// page's rendered HTML, which wikigate does not produce (README, "What is not a goal"): the
// client's getHtml is given the page's wikitext instead, so that everything else those specs
// check (the saves, sections, moves, deletions and undos behind the text) is still proved.
const Client = require( 'api-testing/lib/actionapi' );

Client.prototype.getHtml = async function getWikitext( title ) {
	const result = await this.action( 'parse', { page: title, prop: 'wikitext' } );
	return result.parse.wikitext[ '*' ];
};
