'use strict';
// The users api-testing hands to every spec of MediaWiki's suite, against wikigate.

const { action, assert, utils } = require('api-testing');

describe('api-testing fixtures', () => {
	it('root() logs in as the configured root user with userrights and createaccount tokens', async () => {
		const root = await action.root();
		assert.equal(root.username, 'Admin');
		const tokens = await root.loadTokens(['createaccount', 'userrights', 'csrf']);
		assert.notEqual(tokens.userrightstoken, '+\\');
		assert.match(tokens.csrftoken, /^[0-9a-f]{40}\+\\$/);
	});

	it('alice() is a fresh logged-in user: created by root, then action=login', async () => {
		const alice = await action.alice();
		assert.match(alice.username, /^Alice/);
		const info = await alice.meta('userinfo', { uiprop: 'groups|rights' });
		assert.equal(info.name, alice.username);
		assert.equal(info.id, alice.userid);
		assert.include(info.groups, 'autoconfirmed');
		assert.notInclude(info.groups, 'sysop');
	});

	it('mindy() is a sysop added through action=userrights', async () => {
		const mindy = await action.mindy();
		const info = await mindy.meta('userinfo', { uiprop: 'groups|rights' });
		assert.include(info.groups, 'sysop');
		assert.include(info.rights, 'protect');
		assert.notEqual(await mindy.token('userrights'), '+\\');
	});

	it('getAnon() is anonymous: its csrf token is +\\', async () => {
		const anon = action.getAnon();
		assert.equal(await anon.token(), '+\\');
		const info = await anon.meta('userinfo', {});
		assert.property(info, 'anon');
		assert.equal(info.id, 0);
	});

	it('an anonymous client creates an account and logs in with it (account())', async () => {
		const name = utils.title('Newcomer_');
		const client = await action.getAnon().account(name);
		// account() appends random characters to the name it is given.
		assert.match(client.username, new RegExp(`^${name.replace(/_/g, ' ')}[A-Za-z0-9]+$`));
		const info = await client.meta('userinfo', {});
		assert.equal(info.name, client.username);
	});
});
