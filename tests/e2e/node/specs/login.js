'use strict';
// action=login and action=clientlogin through api-testing clients.

const { action, assert, clientFactory, utils } = require('api-testing');

describe('Logging in', () => {
	let root;
	const name = utils.title('Loginuser_');
	const password = utils.uniq(16);

	before(async () => {
		root = await action.root();
		await root.createAccount({ username: name, password });
	});

	it('action=login without a token answers NeedToken with one', async () => {
		const client = action.getAnon();
		const body = await client.action('login', { lgname: name, lgpassword: password }, 'POST');
		assert.equal(body.login.result, 'NeedToken');
		assert.match(body.login.token, /\+\\$/);
	});

	it('action=login with a wrong password fails with a reason', async () => {
		const client = action.getAnon();
		const body = await client.action('login', {
			lgname: name, lgpassword: 'not-the-password', lgtoken: await client.token('login')
		}, 'POST');
		assert.equal(body.login.result, 'Failed');
		assert.isString(body.login.reason);
	});

	it('action=login with the main password succeeds, with a deprecation warning', async () => {
		const client = action.getAnon();
		const body = await client.action('login', {
			lgname: name, lgpassword: password, lgtoken: await client.token('login')
		}, 'POST');
		assert.equal(body.login.result, 'Success');
		assert.equal(body.login.lgusername, name.replace(/_/g, ' '));
		assert.property(body.warnings, 'login');
		const info = await client.meta('userinfo', {});
		assert.equal(info.name, body.login.lgusername);
	});

	it('action=clientlogin passes and keeps the session', async () => {
		const client = clientFactory.getActionClient();
		const body = await client.action('clientlogin', {
			username: name, password, loginreturnurl: 'http://example.org/', logintoken: await client.token('login')
		}, 'POST');
		assert.equal(body.clientlogin.status, 'PASS');
		assert.equal(body.clientlogin.username, name.replace(/_/g, ' '));
		const info = await client.meta('userinfo', {});
		assert.equal(info.name, body.clientlogin.username);
	});

	it('action=clientlogin with a wrong password answers FAIL with a message', async () => {
		const client = action.getAnon();
		const body = await client.action('clientlogin', {
			username: name, password: 'wrong-password', loginreturnurl: 'http://example.org/',
			logintoken: await client.token('login')
		}, 'POST');
		assert.equal(body.clientlogin.status, 'FAIL');
		assert.equal(body.clientlogin.messagecode, 'wrongpassword');
	});

	it('action=logout ends the session', async () => {
		const client = action.getAnon();
		await client.login(name, password);
		const body = await client.action('logout', { token: await client.token() }, 'POST');
		assert.deepEqual(body, {});
		const info = await client.meta('userinfo', {});
		assert.property(info, 'anon');
	});
});
