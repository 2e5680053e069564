'use strict';
// action=createaccount through api-testing clients.

const { action, assert, utils } = require('api-testing');

describe('action=createaccount', () => {
	let anon, root;

	before(async () => {
		[anon, root] = await Promise.all([action.getAnon(), action.root()]);
	});

	it('creates an account with a canonical name that can log in', async () => {
		const name = utils.title('lower_case_');
		const password = utils.uniq(16);
		const created = await anon.createAccount({ username: name, password });
		const canonical = name.charAt(0).toUpperCase() + name.slice(1).replace(/_/g, ' ');
		assert.equal(created.username, canonical);
		const client = action.getAnon();
		const login = await client.login(created.username, password);
		assert.equal(login.lgusername, canonical);
	});

	it('refuses a name that is taken with FAIL userexists', async () => {
		const body = await anon.action('createaccount', {
			username: root.username, password: utils.uniq(16), retype: 'x', createreturnurl: 'http://example.org/',
			createtoken: await anon.token('createaccount')
		}, 'POST');
		assert.equal(body.createaccount.status, 'FAIL');
		assert.equal(body.createaccount.messagecode, 'userexists');
	});

	it('refuses a common password with FAIL passwordincommonlist', async () => {
		const body = await anon.action('createaccount', {
			username: utils.title('Weak_'), password: 'password123', retype: 'password123',
			createreturnurl: 'http://example.org/', createtoken: await anon.token('createaccount')
		}, 'POST');
		assert.equal(body.createaccount.status, 'FAIL');
		assert.equal(body.createaccount.messagecode, 'passwordincommonlist');
	});

	it('refuses mismatched passwords with FAIL badretype', async () => {
		const body = await anon.action('createaccount', {
			username: utils.title('Retype_'), password: utils.uniq(16), retype: utils.uniq(16),
			createreturnurl: 'http://example.org/', createtoken: await anon.token('createaccount')
		}, 'POST');
		assert.equal(body.createaccount.status, 'FAIL');
		assert.equal(body.createaccount.messagecode, 'badretype');
	});

	it('needs a valid createaccount token', async () => {
		const error = await anon.actionError('createaccount', {
			username: utils.title('Tokenless_'), password: utils.uniq(16), retype: 'x',
			createreturnurl: 'http://example.org/', createtoken: 'abc+\\'
		}, 'POST');
		assert.equal(error.code, 'badtoken');
	});

	it('lets a logged-in user with createaccount create accounts for others', async () => {
		const name = utils.title('Byroot_');
		const password = utils.uniq(16);
		const created = await root.createAccount({ username: name, password });
		assert.equal(created.username, name.replace(/_/g, ' '));
		// Creating for someone else leaves root logged in as root.
		assert.equal((await root.meta('userinfo', {})).name, root.username);
		const login = await action.getAnon().login(created.username, password);
		assert.equal(login.lgusername, created.username);
	});
});
