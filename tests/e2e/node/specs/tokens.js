'use strict';
// meta=tokens as seed 002 documents it, through api-testing clients.

const { action, assert } = require('api-testing');

const TOKEN = /^[0-9a-f]{40}\+\\$/;
// The nine of seed 002: MediaWiki's seven and CentralAuth's two.
const ALL = ['createaccount', 'csrf', 'deleteglobalaccount', 'login', 'patrol', 'rollback', 'setglobalaccountstatus',
	'userrights', 'watch'];

describe('meta=tokens', () => {
	let alice, anon;

	before(async () => {
		[alice, anon] = await Promise.all([action.alice(), action.getAnon()]);
	});

	it('defaults to a csrf token', async () => {
		const tokens = await alice.meta('tokens', {});
		assert.deepEqual(Object.keys(tokens), ['csrftoken']);
		assert.match(tokens.csrftoken, TOKEN);
	});

	it('gives every type for type=*', async () => {
		const tokens = await alice.meta('tokens', { type: '*' });
		assert.sameMembers(Object.keys(tokens), ALL.map((type) => `${type}token`));
		for (const type of ALL) {
			assert.match(tokens[`${type}token`], TOKEN, type);
		}
	});

	it('gives anonymous users +\\ except for login and createaccount', async () => {
		const tokens = await anon.meta('tokens', { type: ALL.join('|') });
		for (const type of ['csrf', 'deleteglobalaccount', 'patrol', 'rollback', 'setglobalaccountstatus', 'userrights',
			'watch']) {
			assert.equal(tokens[`${type}token`], '+\\', type);
		}
		assert.match(tokens.logintoken, TOKEN);
		assert.match(tokens.createaccounttoken, TOKEN);
	});

	it('warns about an unknown type and still answers', async () => {
		const body = await alice.action('query', { meta: 'tokens', type: 'csrf|nosuchtype' });
		assert.match(body.query.tokens.csrftoken, TOKEN);
		assert.include(body.warnings.tokens['*'], 'nosuchtype');
	});

	it('rejects a csrf token of another session with badtoken', async () => {
		const other = await action.mindy();  // another user with another session
		const error = await alice.actionError('edit', {
			title: 'Token test', text: 'x', token: await other.token()
		}, 'POST');
		assert.equal(error.code, 'badtoken', JSON.stringify(error));
	});
});
