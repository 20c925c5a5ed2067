<?php
/**
 * Renders the WordPress recipe (widget/recipes/wordpress/parley-comments.php) as WordPress
 * would, for test/e2e/recipes.test.ts: WordPress itself is an outside system, so the few
 * functions the template calls are stood in for here, each doing what WordPress's does for the
 * values the test gives (https: URLs, plain titles). wp_remote_get makes a real request, to the
 * test's Parley.
 *
 * Usage: php wordpress.php <template> <permalink> <title> [<replyto>]
 */

[ , $template, $permalink, $title ] = $argv;
$_GET = isset( $argv[4] ) ? array( 'replyto' => addslashes( $argv[4] ) ) : array();

function get_permalink() {
	global $permalink;
	return $permalink;
}
function esc_attr( $text ) {
	return htmlspecialchars( $text, ENT_QUOTES, 'UTF-8' );
}
// WordPress's also drops characters no URL has; the test's URLs are plain http(s) ones.
function esc_url( $url ) {
	return esc_attr( $url );
}
function esc_html_e( $text ) {
	echo esc_attr( $text );
}
function the_title_attribute() {
	global $title;
	echo esc_attr( strip_tags( $title ) );
}
function get_bloginfo( $what ) {
	return 'language' === $what ? 'en-US' : '';
}
function wp_unslash( $value ) {
	return stripslashes( $value );
}

class WP_Error {}

// Through cURL, as WordPress's HTTP API does when PHP has it.
function wp_remote_get( $url, $args ) {
	$request = curl_init( $url );
	curl_setopt_array(
		$request,
		array(
			CURLOPT_RETURNTRANSFER => true,
			CURLOPT_TIMEOUT        => $args['timeout'],
		)
	);
	$body = curl_exec( $request );
	if ( false === $body ) {
		return new WP_Error();
	}
	return array(
		'response' => array( 'code' => curl_getinfo( $request, CURLINFO_RESPONSE_CODE ) ),
		'body'     => $body,
	);
}
function is_wp_error( $thing ) {
	return $thing instanceof WP_Error;
}
function wp_remote_retrieve_response_code( $response ) {
	return $response['response']['code'];
}
function wp_remote_retrieve_body( $response ) {
	return $response['body'];
}

require $template;
