<?php
/**
 * Parley's comments in a WordPress theme, in place of WordPress's own.
 *
 * Copy this file into your theme (a child theme survives updates), set the two lines below to
 * your Parley's origin and site, and, in single.php (and page.php if pages have comments),
 * replace
 *     comments_template();
 * with
 *     get_template_part( 'parley-comments' );
 * Then turn WordPress's own comments off (Settings → Discussion), as the README's "Migrating from
 * WordPress" says. The page key is the post's permalink: the key an import from a WordPress
 * export (WXR) gives its comments, so they appear under the same post.
 *
 * The comments are in the page's HTML: the template asks Parley for the thread as HTML
 * (thread.html) while WordPress renders the post, so readers without JavaScript and crawlers
 * see them, and the widget takes that section over without asking again. If Parley does not
 * answer within a second, the page goes out without it (the widget then draws the comments as
 * usual), with a link to the comments as HTML for readers without JavaScript.
 */

$parley_origin = 'https://comments.example.com';
$parley_site   = 'news';

$parley_page = get_permalink();
$parley_html = $parley_origin . '/api/v1/sites/' . rawurlencode( $parley_site )
	. '/thread.html?page=' . rawurlencode( $parley_page );
// A reader without JavaScript who chose Reply under a comment comes back with ?replyto=<id>:
// passed on (when it is a comment id) so the section's form answers that comment.
$parley_reply_to = isset( $_GET['replyto'] ) && is_string( $_GET['replyto'] ) ? wp_unslash( $_GET['replyto'] ) : '';
$parley_response = wp_remote_get(
	$parley_html . ( preg_match( '/^c_[0-9a-z]{26}$/', $parley_reply_to ) ? '&replyto=' . $parley_reply_to : '' ),
	array( 'timeout' => 1 )
);
$parley_section = ( ! is_wp_error( $parley_response ) && 200 === wp_remote_retrieve_response_code( $parley_response ) )
	? wp_remote_retrieve_body( $parley_response )
	: '';
?>
<div id="comments">
<?php if ( $parley_section ) : ?>
	<?php
	// Parley's own HTML, printed as it came: every text in it, readers' words included, is
	// escaped by Parley, and it has no script but data and no inline style or handler.
	echo $parley_section; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
	?>
<?php else : ?>
	<noscript>
		<a href="<?php echo esc_url( $parley_html ); ?>"><?php esc_html_e( 'Read the comments' ); ?></a>
	</noscript>
<?php endif; ?>
</div>
<script src="<?php echo esc_url( $parley_origin . '/widget.js' ); ?>"
	data-site="<?php echo esc_attr( $parley_site ); ?>"
	data-page="<?php echo esc_attr( $parley_page ); ?>"
	data-title="<?php the_title_attribute(); ?>"
	data-lang="<?php echo esc_attr( get_bloginfo( 'language' ) ); ?>"
	async></script>
